package dev.scaler.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a target owns: one compose service of one project (on Scaler's one Docker engine), one swarm
 * service, or one group of one fleet inventory. Two targets with the same key would fight over the count,
 * so a second one is refused; the lock that serialises evaluations, alerts, manual scales and playbook runs
 * is taken on this key, not on the target's name.
 *
 * @param kind  {@code compose}, {@code swarm} or {@code fleet}
 * @param scope the compose project, the fleet's inventory (absolute, normalised); empty for swarm
 * @param name  the compose service, the swarm service or the fleet's group
 */
public record ServiceKey(String kind, String scope, String name) {

    public ServiceKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
    }

    public static ServiceKey compose(String project, String service) {
        return new ServiceKey("compose", project, service);
    }

    /**
     * The name of this key's lock file: readable (kind, scope, name with anything but letters, digits,
     * '.', '_' and '-' made '_') plus a short hash of the exact key, so two keys never share a file.
     */
    public String lockFileName() {
        String readable = (kind + "-" + (scope.isEmpty() ? "" : lastSegment(scope) + "-") + name)
                .replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 100) {
            readable = readable.substring(0, 100);
        }
        return readable + "-" + hash(toString()) + ".lock";
    }

    @Override
    public String toString() {
        return kind + " " + (scope.isEmpty() ? name : scope + "/" + name);
    }

    private static String lastSegment(String scope) {
        String s = scope.endsWith("/") ? scope.substring(0, scope.length() - 1) : scope;
        return s.substring(s.lastIndexOf('/') + 1);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
