package dev.scaler.execution;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment every Ansible tool Scaler runs gets (ansible-playbook, ansible-inventory, and through them
 * every module and the docker-compose they start): an allowlist of Scaler's own environment, never all of it,
 * so Scaler's secrets (API token, database and Prometheus passwords) never reach a child process. Pure.
 *
 * <ul>
 *   <li>always passed when set: {@link #PASSED}, and {@code LC_*};</li>
 *   <li>passed because the operator names them in {@code scaler.execution.pass-environment}: an exact name, or a
 *       prefix ending in {@code *} ({@code AWS_*}). A pattern never matches a name starting with
 *       {@code SCALER_}; only the exact name passes such a variable;</li>
 *   <li>always set by Scaler, whatever the parent or the operator say: {@code ANSIBLE_CONFIG},
 *       {@code ANSIBLE_FORCE_COLOR=0}, {@code ANSIBLE_NOCOLOR=1}.</li>
 * </ul>
 * Not passed unless named: other {@code ANSIBLE_*} (they would change what the pinned ansible.cfg says),
 * {@code COMPOSE_*} (Scaler names the project and files itself; COMPOSE_PROFILES and the like would change
 * what a run does), proxy variables (their URLs may hold credentials; a scale talks to the local engine or over
 * SSH) and {@code PYTHON*}.
 */
public final class AnsibleEnvironment {

    /** What ansible, ssh and the docker CLI/compose need to find their binaries, keys, engine and locale. */
    static final Set<String> PASSED = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
            "SSH_AUTH_SOCK", "DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_CONTEXT",
            "DOCKER_CONFIG", "DOCKER_API_VERSION", "DOCKER_CLIENT_TIMEOUT");
    private static final String SCALER_PREFIX = "SCALER_";

    private AnsibleEnvironment() {
    }

    /**
     * @param parent        Scaler's own environment
     * @param pass          the operator's {@code scaler.execution.pass-environment}: names, or prefixes ending in *
     * @param ansibleConfig exported as ANSIBLE_CONFIG
     */
    public static Map<String, String> of(Map<String, String> parent, List<String> pass, Path ansibleConfig) {
        Map<String, String> child = new TreeMap<>();
        parent.forEach((name, value) -> {
            if (passes(name, pass)) {
                child.put(name, value);
            }
        });
        child.put("ANSIBLE_CONFIG", ansibleConfig.toAbsolutePath().toString());
        // Plain text: the tail ends up in logs and in the history store.
        child.put("ANSIBLE_FORCE_COLOR", "0");
        child.put("ANSIBLE_NOCOLOR", "1");
        return child;
    }

    static boolean passes(String name, List<String> pass) {
        if (PASSED.contains(name) || name.startsWith("LC_")) {
            return true;
        }
        for (String entry : pass) {
            String e = entry.strip();
            if (e.equals(name)) {
                return true;
            }
            if (e.endsWith("*") && name.startsWith(e.substring(0, e.length() - 1)) && !name.startsWith(SCALER_PREFIX)) {
                return true;
            }
        }
        return false;
    }
}
