package dev.scaler.observation;

import dev.scaler.execution.ComposeService;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code scaler.*} labels a service declares under {@code labels:} in its compose file(s), for when no
 * container of it runs to read them from (a service scaled to zero). Later files win, as in compose.
 * Variables ({@code ${X}}) are not interpolated: such a value is read as written.
 */
public final class ComposeFileLabels {

    /** The files compose reads when none is named, in its order of preference. */
    static final List<String> DEFAULT_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml",
            "docker-compose.yml");

    private ComposeFileLabels() {
    }

    public static Map<String, String> read(ComposeService compose) throws IOException {
        Map<String, String> labels = new TreeMap<>();
        for (Path file : files(compose)) {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            Object labelNode = at(at(at(root, "services"), compose.service()), "labels");
            if (labelNode instanceof Map<?, ?> map) {
                map.forEach((k, v) -> put(labels, String.valueOf(k), v == null ? "" : String.valueOf(v)));
            } else if (labelNode instanceof List<?> list) {
                for (Object item : list) {
                    String s = String.valueOf(item);
                    int eq = s.indexOf('=');
                    put(labels, eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
                }
            }
        }
        return Map.copyOf(labels);
    }

    /**
     * {@link #read} that parses a service's files again only when one of them changed (size or modification
     * time): a service at zero would otherwise cost a YAML parse on every tick.
     */
    public static final class Cache {

        private record Stamp(Path file, long size, long modified) {
        }

        private record Entry(List<Stamp> stamps, Map<String, String> labels) {
        }

        private final Map<ComposeService, Entry> entries = new java.util.concurrent.ConcurrentHashMap<>();

        public Map<String, String> read(ComposeService compose) throws IOException {
            List<Stamp> stamps = new ArrayList<>();
            for (Path file : files(compose)) {
                stamps.add(new Stamp(file, Files.size(file), Files.getLastModifiedTime(file).toMillis()));
            }
            Entry cached = entries.get(compose);
            if (cached != null && cached.stamps().equals(stamps)) {
                return cached.labels();
            }
            Map<String, String> labels = ComposeFileLabels.read(compose);
            entries.put(compose, new Entry(List.copyOf(stamps), labels));
            return labels;
        }
    }

    private static void put(Map<String, String> labels, String key, String value) {
        if (key.startsWith(DockerReplicaObserver.SCALER_LABEL_PREFIX)) {
            labels.put(key, value);
        }
    }

    private static List<Path> files(ComposeService compose) {
        Path dir = compose.projectDirectory();
        List<Path> files = new ArrayList<>();
        if (!compose.composeFiles().isEmpty()) {
            compose.composeFiles().forEach(f -> files.add(dir.resolve(f)));
            return files;
        }
        DEFAULT_FILES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().ifPresent(files::add);
        return files;
    }

    private static Object at(Object node, String key) {
        return node instanceof Map<?, ?> map ? map.get(key) : null;
    }
}
