package dev.scaler.testing;

import dev.scaler.fleet.AnsibleOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * N real SSH hosts on this machine: one sshd per loopback address (127.0.0.2, 127.0.0.3, ...), each
 * with its own host key and its own compose project on the shared Docker engine, plus an Ansible
 * inventory (group {@value #GROUP}, hosts h1..hN) that reaches them the way a real fleet is reached:
 * key from a file, host keys checked strictly against the inventory's own known_hosts.
 * Needs root (sshd switches to the logged-in user, and the hosts log in as root to run docker).
 * {@link #close()} removes the compose projects, stops the sshd processes and deletes the files.
 */
public final class SshFleet implements AutoCloseable {

    public static final String GROUP = "fleet";
    public static final String SERVICE = "webapp";
    private static final String SSHD = "/usr/sbin/sshd";

    /** One host to create: its inventory name and its capacity variables (null max = no cap). */
    public record HostSpec(String name, double weight, Integer maxReplicas) {
        public static HostSpec of(String name) {
            return new HostSpec(name, 1, null);
        }
    }

    /** One ansible-playbook run: exit code, combined output, wall time. */
    public record Run(int exitCode, String output, Duration wallTime) {

        /** PLAY RECAP per host, read by the same parser Scaler uses. */
        public Map<String, AnsibleOutput.Recap> recap() {
            return AnsibleOutput.of("scaler_report", output).recap();
        }

        /** Host -> running replicas from the scaler_report lines of fleet_report.yml. */
        public Map<String, Integer> reported() {
            Map<String, Integer> reported = new LinkedHashMap<>();
            AnsibleOutput.of("scaler_report", output).results()
                    .forEach((host, r) -> reported.put(host, ((Number) r.get("running")).intValue()));
            return reported;
        }

        /** Host -> "after" from the scaler_result lines of fleet_scale.yml ("null" in check mode). */
        public Map<String, String> resultAfter() {
            Map<String, String> after = new LinkedHashMap<>();
            AnsibleOutput.of("scaler_result", output).results()
                    .forEach((host, r) -> after.put(host, String.valueOf(r.get("after"))));
            return after;
        }
    }

    private static final class Host {
        final HostSpec spec;
        final String address;
        final Path dir;
        final Path projectDir;
        final String project;
        Process sshd;
        boolean refuseLogin;

        Host(HostSpec spec, String address, Path dir, Path projectDir, String project) {
            this.spec = spec;
            this.address = address;
            this.dir = dir;
            this.projectDir = projectDir;
            this.project = project;
        }
    }

    private final Path root;
    private final Path inventory;
    private final Path clientKey;
    private final int port;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    // A test JVM stopped from outside (timeout, Ctrl-C) must not leave sshd processes and containers behind.
    private final Thread cleanup = new Thread(this::cleanUp, "ssh-fleet-cleanup");

    private SshFleet(Path root, int port) {
        this.root = root;
        this.inventory = root.resolve("inventory");
        this.clientKey = root.resolve("client_ed25519");
        this.port = port;
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** Skips the test (or fails it under SCALER_REAL_PARTS=required) when this machine cannot host a fleet. */
    public static void requireParts() {
        RealParts.requireDocker();
        RealParts.requireCommand("ansible-playbook");
        RealParts.requireCommand("docker-compose");
        RealParts.requireCommand("ssh");
        RealParts.requireCommand("ssh-keygen");
        RealParts.require(Files.isExecutable(Path.of(SSHD)), "sshd at " + SSHD + " (package openssh-server)");
        RealParts.require("root".equals(System.getProperty("user.name")), "running as root (the sshd hosts need it)");
        RealParts.require(canBind("127.0.0.2"), "loopback addresses beyond 127.0.0.1");
    }

    public static SshFleet start(int hosts) throws IOException {
        return start(IntStream.rangeClosed(1, hosts).mapToObj(i -> HostSpec.of("h" + i)).toList());
    }

    public static SshFleet start(List<HostSpec> specs) throws IOException {
        requireParts();
        if (specs.size() > 200) {
            throw new IllegalArgumentException("at most 200 hosts (127.0.0.2 .. 127.0.0.201)");
        }
        List<String> addresses = IntStream.range(0, specs.size()).mapToObj(i -> "127.0.0." + (i + 2)).toList();
        int port = freePort(addresses);
        String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
        SshFleet fleet = new SshFleet(Files.createTempDirectory("scalerfleet-"), port);
        try {
            fleet.create(specs, addresses, run);
            return fleet;
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    private void create(List<HostSpec> specs, List<String> addresses, String run) throws IOException {
        // sshd refuses to start without its privilege separation directory; the package creates it
        // only when its own service starts, which the tests deliberately never do.
        Files.createDirectories(Path.of("/run/sshd"));
        exec(root, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "scaler-fleet-test", "-f", clientKey.toString());
        Files.copy(root.resolve("client_ed25519.pub"), root.resolve("authorized_keys"));
        Files.createDirectories(inventory.resolve("group_vars"));
        Files.createDirectories(inventory.resolve("host_vars"));
        for (int i = 0; i < specs.size(); i++) {
            HostSpec spec = specs.get(i);
            if (!spec.name().matches("[a-z0-9]+")) {
                throw new IllegalArgumentException("host names are lowercase letters and digits: " + spec.name());
            }
            Path dir = Files.createDirectories(root.resolve(spec.name()));
            Path projectDir = Files.createDirectories(dir.resolve("project"));
            Files.writeString(projectDir.resolve("docker-compose.yml"), """
                    version: "2.4"
                    services:
                      webapp:
                        image: scaler-test/busybox:latest
                        command: ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]
                        stop_grace_period: 1s
                    """);
            Host host = new Host(spec, addresses.get(i), dir, projectDir, "scalerfleet" + run + "-" + spec.name());
            hosts.put(spec.name(), host);
            newHostKey(host);
            writeSshdConfig(host);
            writeHostVars(host);
        }
        writeKnownHosts();
        writeInventory();
        for (Host host : hosts.values()) {
            startSshd(host);
        }
    }

    public Path inventory() {
        return inventory;
    }

    public List<String> hosts() {
        return List.copyOf(hosts.keySet());
    }

    public int port() {
        return port;
    }

    public String address(String host) {
        return host(host).address;
    }

    public String projectName(String host) {
        return host(host).project;
    }

    public Path projectDir(String host) {
        return host(host).projectDir;
    }

    public Path knownHosts() {
        return inventory.resolve("known_hosts");
    }

    /** Running replicas of the host's project, counted with the docker CLI: independent of Ansible. */
    public int running(String host) {
        String out = exec(root, "docker", "ps", "-q", "--filter", "label=com.docker.compose.project=" + projectName(host),
                "--filter", "label=com.docker.compose.service=" + SERVICE, "--filter", "label=com.docker.compose.oneoff=False",
                "--filter", "status=running");
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }

    /** Stops the host's sshd and its open sessions, so the host is down for SSH (its containers keep running). */
    public void stopHost(String host) {
        stopSshd(host(host));
    }

    public void startHost(String host) throws IOException {
        Host h = host(host);
        if (h.sshd == null || !h.sshd.isAlive()) {
            startSshd(h);
        }
    }

    /** The host gets a new host key (as a reinstalled or impostor host would); known_hosts keeps the old one. */
    public void changeHostKey(String host) throws IOException {
        Host h = host(host);
        stopSshd(h);
        newHostKey(h);
        startSshd(h);
    }

    /** The host's sshd refuses the client's key from now on (no authorized key): ssh says Permission denied. */
    public void refuseLogin(String host) throws IOException {
        Host h = host(host);
        stopSshd(h);
        h.refuseLogin = true;
        writeSshdConfig(h);
        startSshd(h);
    }

    /**
     * The host's sshd stops answering (SIGSTOP): connections are accepted by the kernel and never greeted, so
     * ssh times out, as with a host that hangs. Open sessions end first, so no reused connection hides it.
     */
    public void hangHost(String host) {
        Host h = host(host);
        List<ProcessHandle> sessions = h.sshd.descendants().toList();
        sessions.forEach(ProcessHandle::destroyForcibly);
        exec(root, "kill", "-STOP", Long.toString(h.sshd.pid()));
    }

    /** Rewrites the host's capacity variables in host_vars. */
    public void setCapacity(String host, double weight, Integer maxReplicas) throws IOException {
        Host old = host(host);
        Host h = new Host(new HostSpec(host, weight, maxReplicas), old.address, old.dir, old.projectDir, old.project);
        h.sshd = old.sshd;
        h.refuseLogin = old.refuseLogin;
        hosts.put(host, h);
        writeHostVars(h);
    }

    /** Runs fleet_scale.yml on exactly the hosts in {@code replicas}, with these counts. */
    public Run scale(Map<String, Integer> replicas, Map<String, String> environment, String... extraArgs) {
        String counts = replicas.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", "));
        String vars = "{\"scaler_hosts\": \"" + String.join(":", replicas.keySet()) + "\", \"scaler_fleet_replicas\": {"
                + counts + "}}";
        List<String> args = new ArrayList<>(List.of("-i", inventory.toString(), "ansible/fleet_scale.yml", "-e", vars));
        args.addAll(List.of(extraArgs));
        return playbook(args, environment);
    }

    public Run scale(Map<String, Integer> replicas, String... extraArgs) {
        return scale(replicas, Map.of(), extraArgs);
    }

    /**
     * Runs fleet_scale.yml as FleetDriver does once it knows the hosts: told each host's count before and its
     * compose CLI ({@code v1} or {@code v2}), so the role neither probes nor counts.
     */
    public Run scaleTold(Map<String, Integer> replicas, Map<String, Integer> before, String command,
                         Map<String, String> environment) {
        String counts = json(replicas);
        String commands = replicas.keySet().stream().map(h -> "\"" + h + "\": \"" + command + "\"")
                .collect(Collectors.joining(", "));
        String vars = "{\"scaler_hosts\": \"" + String.join(":", replicas.keySet()) + "\", \"scaler_fleet_replicas\": "
                + counts + ", \"scaler_fleet_before\": " + json(before) + ", \"scaler_fleet_commands\": {" + commands
                + "}}";
        return playbook(List.of("-i", inventory.toString(), "ansible/fleet_scale.yml", "-e", vars), environment);
    }

    private static String json(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Runs fleet_report.yml on the host pattern. */
    public Run report(String pattern, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("-i", inventory.toString(), "ansible/fleet_report.yml",
                "-e", "{\"scaler_hosts\": \"" + pattern + "\"}"));
        args.addAll(List.of(extraArgs));
        return playbook(args, Map.of());
    }

    /** Runs fleet_stats.yml (docker stats of the service's containers) on the host pattern. */
    public Run stats(String pattern, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("-i", inventory.toString(), "ansible/fleet_stats.yml",
                "-e", "{\"scaler_hosts\": \"" + pattern + "\"}"));
        args.addAll(List.of(extraArgs));
        return playbook(args, Map.of());
    }

    /**
     * Runs {@code ansible-playbook ARGS} from the repository root with ANSIBLE_CONFIG=ansible/ansible.cfg,
     * as a person would by hand; {@code environment} adds or overrides variables (e.g. ANSIBLE_FORKS).
     */
    public static Run playbook(List<String> args, Map<String, String> environment) {
        List<String> argv = new ArrayList<>();
        argv.add("ansible-playbook");
        argv.addAll(args);
        return run(argv, environment, Duration.ofMinutes(10));
    }

    /** Runs a command from the repository root with the Ansible configuration set, returning what it did. */
    public static Run run(List<String> argv, Map<String, String> environment, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("ANSIBLE_CONFIG", Path.of("ansible/ansible.cfg").toAbsolutePath().toString());
        builder.environment().put("ANSIBLE_NOCOLOR", "1");
        builder.environment().remove("ANSIBLE_FORCE_COLOR");
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(argv + " timed out after " + timeout + ": " + output);
            }
            return new Run(process.exitValue(), output, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running this same cleanup
        }
        cleanUp();
    }

    private synchronized void cleanUp() {
        for (Host host : hosts.values()) {
            try {
                ProcessBuilder down = new ProcessBuilder("docker-compose", "-p", host.project, "down", "-t", "0",
                        "--remove-orphans").directory(host.projectDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                down.start().waitFor(120, TimeUnit.SECONDS);
            } catch (IOException e) {
                // best effort: the other hosts must still be cleaned up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopSshd(host);
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }

    private Host host(String name) {
        Host host = hosts.get(name);
        if (host == null) {
            throw new IllegalArgumentException("no host " + name + " in " + hosts.keySet());
        }
        return host;
    }

    private void newHostKey(Host host) throws IOException {
        Path key = host.dir.resolve("ssh_host_ed25519_key");
        Files.deleteIfExists(key);
        Files.deleteIfExists(host.dir.resolve("ssh_host_ed25519_key.pub"));
        exec(root, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", host.spec.name(), "-f", key.toString());
    }

    private void writeSshdConfig(Host host) throws IOException {
        // StrictModes off: the key files live under /tmp, whose mode sshd's ownership checks reject.
        // SHLVL=1: bash sources ~/.bashrc for a command run over ssh only as a top-level shell (level < 2);
        // the hosts stand for clean remote machines, so this machine's root shell setup (a pyenv init
        // that can wait 60 s on a lock) must not run on every one of Ansible's connections.
        Files.writeString(host.dir.resolve("sshd_config"), String.join("\n",
                "ListenAddress " + host.address,
                "Port " + port,
                "HostKey " + host.dir.resolve("ssh_host_ed25519_key"),
                "PidFile " + host.dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + (host.refuseLogin ? host.dir.resolve("no_authorized_keys")
                        : root.resolve("authorized_keys")),
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "MaxStartups 100:30:200",
                "SetEnv SHLVL=1",
                "Subsystem sftp /usr/lib/openssh/sftp-server",
                ""));
    }

    private void writeKnownHosts() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Host host : hosts.values()) {
            String[] pub = Files.readString(host.dir.resolve("ssh_host_ed25519_key.pub")).trim().split(" ");
            lines.append('[').append(host.address).append("]:").append(port).append(' ')
                    .append(pub[0]).append(' ').append(pub[1]).append('\n');
        }
        Files.writeString(knownHosts(), lines.toString());
    }

    private void writeInventory() throws IOException {
        StringBuilder hostsYml = new StringBuilder("---\n" + GROUP + ":\n  hosts:\n");
        for (Host host : hosts.values()) {
            hostsYml.append("    ").append(host.spec.name()).append(":\n")
                    .append("      ansible_host: ").append(host.address).append('\n')
                    .append("      ansible_port: ").append(port).append('\n');
        }
        Files.writeString(inventory.resolve("hosts.yml"), hostsYml.toString());
        // Same shape as inventories/example-fleet/group_vars/web.yml, so the tests prove that shape.
        Files.writeString(inventory.resolve("group_vars").resolve(GROUP + ".yml"), """
                ---
                ansible_user: root
                ansible_ssh_private_key_file: %s
                ansible_ssh_common_args: >-
                  -o UserKnownHostsFile={{ inventory_dir }}/known_hosts
                  -o StrictHostKeyChecking=yes
                  -o IdentitiesOnly=yes
                ansible_python_interpreter: /usr/bin/python3
                compose_scale_service: %s
                scaler_weight: 1
                """.formatted(clientKey, SERVICE));
    }

    private void writeHostVars(Host host) throws IOException {
        StringBuilder vars = new StringBuilder("---\n")
                .append("compose_scale_project_dir: ").append(host.projectDir).append('\n')
                .append("compose_scale_project_name: ").append(host.project).append('\n')
                .append("scaler_weight: ").append(BigDecimal.valueOf(host.spec.weight()).stripTrailingZeros().toPlainString())
                .append('\n');
        if (host.spec.maxReplicas() != null) {
            vars.append("scaler_max_replicas: ").append(host.spec.maxReplicas()).append('\n');
        }
        Files.writeString(inventory.resolve("host_vars").resolve(host.spec.name() + ".yml"), vars.toString());
    }

    private void startSshd(Host host) throws IOException {
        Path log = host.dir.resolve("sshd.log");
        host.sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", host.dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!RealParts.portOpen(host.address, port)) {
            if (!host.sshd.isAlive() || System.nanoTime() > deadline) {
                host.sshd.destroyForcibly();
                throw new IllegalStateException("sshd for " + host.spec.name() + " on " + host.address + ":" + port
                        + " did not start: " + Files.readString(log));
            }
            sleep(50);
        }
    }

    private static void stopSshd(Host host) {
        Process sshd = host.sshd;
        if (sshd == null) {
            return;
        }
        // Sessions first: once the listener is gone they would be reparented and out of reach. Killing
        // them also ends client ControlMaster connections, so the next run really connects anew.
        List<ProcessHandle> sessions = sshd.descendants().toList();
        sshd.destroyForcibly();
        sessions.forEach(ProcessHandle::destroyForcibly);
        try {
            sshd.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle session : sessions) {
                session.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a session that outlives this wait no longer matters: the listener is gone
        }
        host.sshd = null;
    }

    private static int freePort(List<String> addresses) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
            if (addresses.stream().allMatch(a -> canBind(a, port))) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on all of " + addresses);
    }

    private static boolean canBind(String address) {
        return canBind(address, 0);
    }

    private static boolean canBind(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String exec(Path dir, String... argv) {
        try {
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
