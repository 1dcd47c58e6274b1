package dev.scaler.observation;

import dev.scaler.execution.ComposeService;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
     * time): a service at zero would otherwise cost a YAML parse on every tick. Within one loop tick each file is
     * looked at once, however many services it declares: the tick's answer for the file, like its one Docker
     * listing, is what the file was when the tick first asked (a stat per target cost 5 % of a tick's CPU over
     * 1,000 targets sharing a file).
     */
    public static final class Cache {

        private record Stamp(Path file, long size, long modified) {
        }

        private record Entry(List<Stamp> stamps, Map<String, String> labels) {
        }

        /** What one loop tick found: the files a project directory's services read, and each file's stamp. */
        private record TickLook(String tickId, Map<Where, List<Path>> files, Map<Path, Stamp> stamps) {
        }

        /** What {@link ComposeFileLabels#files} depends on: the services of one project share it. */
        private record Where(Path projectDirectory, List<Path> composeFiles) {
        }

        private final Map<ComposeService, Entry> entries = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile TickLook look;

        /** Looks at the files afresh: an evaluation of its own (an alert, a manual scale). */
        public Map<String, String> read(ComposeService compose) throws IOException {
            return read(compose, null);
        }

        /**
         * @param tickId the loop tick asking, whose targets share one look at each file; null to look afresh
         */
        public Map<String, String> read(ComposeService compose, String tickId) throws IOException {
            TickLook tick = tickId == null ? null : lookOf(tickId);
            List<Path> files = tick == null ? files(compose)
                    : tick.files().computeIfAbsent(new Where(compose.projectDirectory(), compose.composeFiles()),
                            k -> files(compose));
            List<Stamp> stamps = new ArrayList<>(files.size());
            for (Path file : files) {
                stamps.add(tick == null ? stamp(file) : stampIn(tick, file));
            }
            Entry cached = entries.get(compose);
            if (cached != null && cached.stamps().equals(stamps)) {
                return cached.labels();
            }
            Map<String, String> labels = ComposeFileLabels.read(compose);
            entries.put(compose, new Entry(List.copyOf(stamps), labels));
            return labels;
        }

        private TickLook lookOf(String tickId) {
            TickLook current = look;
            if (current == null || !current.tickId().equals(tickId)) {
                synchronized (this) {
                    current = look;
                    if (current == null || !current.tickId().equals(tickId)) {
                        current = new TickLook(tickId, new java.util.concurrent.ConcurrentHashMap<>(),
                                new java.util.concurrent.ConcurrentHashMap<>());
                        look = current;
                    }
                }
            }
            return current;
        }

        /** A file that cannot be read is not remembered: every target asking fails as it would alone. */
        private static Stamp stampIn(TickLook tick, Path file) throws IOException {
            Stamp known = tick.stamps().get(file);
            if (known == null) {
                known = stamp(file);
                tick.stamps().put(file, known);
            }
            return known;
        }

        private static Stamp stamp(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(file, attributes.size(), attributes.lastModifiedTime().toMillis());
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
