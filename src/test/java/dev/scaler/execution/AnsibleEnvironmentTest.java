package dev.scaler.execution;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The allowlist Ansible's environment is built from, case by case. */
class AnsibleEnvironmentTest {

    private static final Path CONFIG = Path.of("/opt/scaler/ansible/ansible.cfg");
    private static final Map<String, String> PARENT = parent();

    private static Map<String, String> parent() {
        Map<String, String> p = new TreeMap<>();
        p.put("PATH", "/usr/bin:/bin");
        p.put("HOME", "/root");
        p.put("USER", "scaler");
        p.put("LOGNAME", "scaler");
        p.put("LANG", "C.UTF-8");
        p.put("LC_ALL", "C.UTF-8");
        p.put("LC_TIME", "en_GB.UTF-8");
        p.put("TZ", "UTC");
        p.put("TMPDIR", "/var/tmp");
        p.put("SSH_AUTH_SOCK", "/run/agent.sock");
        p.put("DOCKER_HOST", "unix:///run/docker.sock");
        p.put("DOCKER_TLS_VERIFY", "1");
        p.put("DOCKER_CERT_PATH", "/etc/docker/certs");
        p.put("DOCKER_CONTEXT", "prod");
        p.put("DOCKER_CONFIG", "/etc/scaler/docker");
        p.put("DOCKER_REGISTRY_PASSWORD", "registry-secret");
        p.put("SCALER_API_TOKEN", "api-secret");
        p.put("SCALER_DB_PASSWORD", "db-secret");
        p.put("SCALER_PROMETHEUS_PASSWORD", "prom-secret");
        p.put("SCALER_PROMETHEUS_BEARER_TOKEN", "bearer-secret");
        p.put("SCALER_EXTRA", "extra");
        p.put("DATASOURCES_DEFAULT_PASSWORD", "ds-secret");
        p.put("AWS_SECRET_ACCESS_KEY", "aws-secret");
        p.put("AWS_REGION", "eu-west-1");
        p.put("ANSIBLE_CONFIG", "/somewhere/else.cfg");
        p.put("ANSIBLE_FORCE_COLOR", "1");
        p.put("ANSIBLE_FORKS", "1");
        p.put("ANSIBLE_VAULT_PASSWORD_FILE", "/root/vault");
        p.put("COMPOSE_FILE", "other.yml");
        p.put("COMPOSE_PROJECT_NAME", "other");
        p.put("COMPOSE_PROFILES", "debug");
        p.put("http_proxy", "http://user:pw@proxy:3128");
        p.put("HTTPS_PROXY", "http://user:pw@proxy:3128");
        p.put("no_proxy", "localhost");
        p.put("PYTHONPATH", "/opt/lib");
        p.put("TERM", "xterm-256color");
        p.put("SHELL", "/bin/bash");
        return Map.copyOf(p);
    }

    record Case(String name, List<String> pass, Map<String, String> passed, List<String> notPassed) {
    }

    @Test
    void theChildGetsTheAllowlistWhatTheOperatorNamesAndScalersOwnAnsibleSettings() {
        Map<String, String> always = Map.ofEntries(Map.entry("PATH", "/usr/bin:/bin"), Map.entry("HOME", "/root"),
                Map.entry("USER", "scaler"), Map.entry("LOGNAME", "scaler"), Map.entry("LANG", "C.UTF-8"),
                Map.entry("LC_ALL", "C.UTF-8"), Map.entry("LC_TIME", "en_GB.UTF-8"), Map.entry("TZ", "UTC"),
                Map.entry("TMPDIR", "/var/tmp"), Map.entry("SSH_AUTH_SOCK", "/run/agent.sock"),
                Map.entry("DOCKER_HOST", "unix:///run/docker.sock"), Map.entry("DOCKER_TLS_VERIFY", "1"),
                Map.entry("DOCKER_CERT_PATH", "/etc/docker/certs"), Map.entry("DOCKER_CONTEXT", "prod"),
                Map.entry("DOCKER_CONFIG", "/etc/scaler/docker"),
                Map.entry("ANSIBLE_CONFIG", CONFIG.toString()), Map.entry("ANSIBLE_FORCE_COLOR", "0"),
                Map.entry("ANSIBLE_NOCOLOR", "1"));
        List<String> neverByDefault = List.of("SCALER_API_TOKEN", "SCALER_DB_PASSWORD", "SCALER_PROMETHEUS_PASSWORD",
                "SCALER_PROMETHEUS_BEARER_TOKEN", "SCALER_EXTRA", "DATASOURCES_DEFAULT_PASSWORD",
                "DOCKER_REGISTRY_PASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "ANSIBLE_FORKS",
                "ANSIBLE_VAULT_PASSWORD_FILE", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES",
                "http_proxy", "HTTPS_PROXY", "no_proxy", "PYTHONPATH", "TERM", "SHELL");
        List<Case> cases = List.of(
                new Case("nothing named: the allowlist only", List.of(), always, neverByDefault),
                new Case("named variables pass", List.of("http_proxy", "no_proxy", "ANSIBLE_FORKS"),
                        Map.of("http_proxy", "http://user:pw@proxy:3128", "no_proxy", "localhost", "ANSIBLE_FORKS", "1"),
                        List.of("HTTPS_PROXY", "SCALER_API_TOKEN", "ANSIBLE_VAULT_PASSWORD_FILE")),
                new Case("a prefix pattern passes what it matches", List.of("AWS_*"),
                        Map.of("AWS_REGION", "eu-west-1", "AWS_SECRET_ACCESS_KEY", "aws-secret"),
                        List.of("SCALER_API_TOKEN", "ANSIBLE_FORKS")),
                new Case("no pattern ever passes SCALER_*", List.of("SCALER_*", "*", "SCAL*"),
                        Map.of("AWS_REGION", "eu-west-1", "COMPOSE_FILE", "other.yml"),
                        List.of("SCALER_API_TOKEN", "SCALER_DB_PASSWORD", "SCALER_PROMETHEUS_PASSWORD",
                                "SCALER_PROMETHEUS_BEARER_TOKEN", "SCALER_EXTRA")),
                new Case("an exact SCALER_ name is the operator's explicit choice", List.of("SCALER_EXTRA"),
                        Map.of("SCALER_EXTRA", "extra"), List.of("SCALER_API_TOKEN", "SCALER_DB_PASSWORD")),
                new Case("Scaler's own Ansible settings win over the parent and the operator",
                        List.of("ANSIBLE_CONFIG", "ANSIBLE_FORCE_COLOR", " ANSIBLE_FORKS "),
                        Map.of("ANSIBLE_CONFIG", CONFIG.toString(), "ANSIBLE_FORCE_COLOR", "0", "ANSIBLE_FORKS", "1"),
                        List.of()),
                new Case("a named variable that is not set is simply absent", List.of("NOT_SET_ANYWHERE"),
                        Map.of(), List.of("NOT_SET_ANYWHERE")));

        for (Case c : cases) {
            Map<String, String> child = AnsibleEnvironment.of(PARENT, c.pass(), CONFIG);
            assertThat(child).as(c.name()).containsAllEntriesOf(always.entrySet().stream()
                    .filter(e -> !c.passed().containsKey(e.getKey()))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            assertThat(child).as(c.name()).containsAllEntriesOf(c.passed());
            assertThat(child).as(c.name()).doesNotContainKeys(c.notPassed().toArray(String[]::new));
        }
        Map<String, String> plain = AnsibleEnvironment.of(PARENT, List.of(), CONFIG);
        assertThat(plain).as("exactly the allowlist").isEqualTo(always);
        assertThat(plain.values()).as("no secret value under any name").noneMatch(v -> v.contains("secret"));
    }
}
