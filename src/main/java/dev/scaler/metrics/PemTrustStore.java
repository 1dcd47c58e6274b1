package dev.scaler.metrics;

import io.micronaut.context.exceptions.ConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.UUID;

/**
 * Converts a PEM CA bundle into a PKCS12 trust store file, because the Micronaut HTTP client's
 * {@code ssl.trust-store} takes a key store, not PEM. The file holds only public certificates.
 */
final class PemTrustStore {

    private final Path file;
    private final String password;

    private PemTrustStore(Path file, String password) {
        this.file = file;
        this.password = password;
    }

    static PemTrustStore fromPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigurationException(PrometheusConfiguration.PREFIX + ".ca-file " + pem + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            String password = UUID.randomUUID().toString();
            Path file = Files.createTempFile("scaler-prometheus-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new PemTrustStore(file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(PrometheusConfiguration.PREFIX + ".ca-file " + pem
                    + " is not a readable PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    String password() {
        return password;
    }

    String type() {
        return "PKCS12";
    }
}
