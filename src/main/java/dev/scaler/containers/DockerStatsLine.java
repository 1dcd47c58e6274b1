package dev.scaler.containers;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code docker stats --no-stream --format '{{json .}}'}, read back into numbers. Pure: no I/O.
 *
 * <p>The docker CLI prints rounded text: CPU and memory per cent with two decimals, memory in binary units with
 * four significant digits ({@code 540KiB / 64MiB}), network and block I/O in decimal units with three
 * ({@code 1.5kB / 2MB}). A container whose stats the CLI could not read shows {@code --}, which is unknown here
 * (null), never zero.
 *
 * @param id          the short id the CLI prints ({@code ID})
 * @param name        the container's name ({@code Name})
 * @param cpuCores    {@code CPUPerc} over 100: cores used, since the CLI's 100 % is one core whatever the limit;
 *                    null for {@code --}
 * @param memoryBytes the first half of {@code MemUsage}; null for {@code --}
 * @param memoryLimit the second half: the container's limit, or the host's memory without one; 0 when the CLI
 *                    had none (a stopped container shows {@code 0B / 0B}); null for {@code --}
 * @param received    first half of {@code NetIO}; null for {@code --}
 * @param sent        second half of {@code NetIO}
 * @param read        first half of {@code BlockIO}
 * @param written     second half of {@code BlockIO}
 */
public record DockerStatsLine(String id, String name, Double cpuCores, Long memoryBytes, Long memoryLimit,
                              Long received, Long sent, Long read, Long written) {

    private static final String UNKNOWN = "--";
    private static final Pattern PERCENT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)%");
    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z]+)");
    /** The docker CLI's unit names (go-units): decimal for I/O, binary for memory; both are read in any field. */
    private static final Map<String, BigDecimal> UNITS = Map.ofEntries(
            Map.entry("B", BigDecimal.ONE),
            Map.entry("kB", BigDecimal.TEN.pow(3)), Map.entry("MB", BigDecimal.TEN.pow(6)),
            Map.entry("GB", BigDecimal.TEN.pow(9)), Map.entry("TB", BigDecimal.TEN.pow(12)),
            Map.entry("PB", BigDecimal.TEN.pow(15)), Map.entry("EB", BigDecimal.TEN.pow(18)),
            Map.entry("KiB", BigDecimal.valueOf(1024)), Map.entry("MiB", BigDecimal.valueOf(1024).pow(2)),
            Map.entry("GiB", BigDecimal.valueOf(1024).pow(3)), Map.entry("TiB", BigDecimal.valueOf(1024).pow(4)),
            Map.entry("PiB", BigDecimal.valueOf(1024).pow(5)), Map.entry("EiB", BigDecimal.valueOf(1024).pow(6)));

    /**
     * @throws IllegalArgumentException naming the field and the value when the line is not such JSON, or a field is
     *                                  missing or not in the CLI's format
     */
    public static DockerStatsLine parse(String line) {
        Map<?, ?> fields = json(line);
        String id = text(fields, "ID");
        String name = text(fields, "Name");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("docker stats field ID is empty in " + abbreviate(line));
        }
        Double cpu = percent("CPUPerc", text(fields, "CPUPerc"));
        Long[] memory = pair("MemUsage", text(fields, "MemUsage"));
        Long[] net = pair("NetIO", text(fields, "NetIO"));
        Long[] block = pair("BlockIO", text(fields, "BlockIO"));
        return new DockerStatsLine(id, name, cpu == null ? null : cpu / 100, memory[0], memory[1], net[0], net[1],
                block[0], block[1]);
    }

    /**
     * What the container uses, in the local collector's terms ({@link ContainerUsage}); null when the CLI could
     * not read it ({@code --} in CPU or memory): no series, rather than a zero that reads as idle.
     *
     * @param cpuLimitCores the container's CPU limit in cores, 0 or less for none: the ratio is of the limit, or of
     *                      one core, as the local collector's
     */
    public ContainerUsage usage(double cpuLimitCores) {
        if (cpuCores == null || memoryBytes == null) {
            return null;
        }
        Double cpuRatio = cpuLimitCores > 0 ? cpuCores / cpuLimitCores : cpuCores;
        Double memoryRatio = memoryLimit != null && memoryLimit > 0 ? (double) memoryBytes / memoryLimit : null;
        return new ContainerUsage(cpuRatio, memoryBytes, memoryRatio, orZero(received), orZero(sent), orZero(read),
                orZero(written));
    }

    /** {@code 12.50%} as 12.5; {@code --} as null. */
    static Double percent(String field, String value) {
        String v = value.strip();
        if (v.equals(UNKNOWN)) {
            return null;
        }
        Matcher m = PERCENT.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("docker stats field " + field + ": '" + value
                    + "' is not a percentage like 12.50%");
        }
        return Double.parseDouble(m.group(1));
    }

    /** {@code 1.5kB}, {@code 540KiB}, {@code 0B} as bytes (rounded to a whole byte); {@code --} as null. */
    static Long bytes(String field, String value) {
        String v = value.strip();
        if (v.equals(UNKNOWN)) {
            return null;
        }
        Matcher m = SIZE.matcher(v);
        BigDecimal unit = m.matches() ? UNITS.get(m.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("docker stats field " + field + ": '" + v
                    + "' is not a size like 1.5kB or 540KiB");
        }
        return new BigDecimal(m.group(1)).multiply(unit).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code used / limit} (or {@code in / out}); {@code --} alone stands for both. */
    static Long[] pair(String field, String value) {
        String v = value.strip();
        if (v.equals(UNKNOWN)) {
            return new Long[] {null, null};
        }
        String[] parts = v.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("docker stats field " + field + ": '" + value
                    + "' is not two sizes like 1.5kB / 2MB");
        }
        return new Long[] {bytes(field, parts[0]), bytes(field, parts[1])};
    }

    private static Map<?, ?> json(String line) {
        if (line == null || !line.strip().startsWith("{")) {
            throw new IllegalArgumentException("docker stats line is not a JSON object: " + abbreviate(line));
        }
        Object parsed;
        try {
            // JSON is YAML; snakeyaml is already the project's parser for Ansible's output.
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(line);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("docker stats line is not a JSON object: " + abbreviate(line), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("docker stats line is not a JSON object: " + abbreviate(line));
        }
        return map;
    }

    private static String text(Map<?, ?> fields, String field) {
        Object v = fields.get(field);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("docker stats field " + field + " is "
                    + (v == null ? "missing" : "not text: '" + v + "'"));
        }
        return s;
    }

    private static String abbreviate(String line) {
        if (line == null) {
            return "null";
        }
        String s = line.strip();
        return "'" + (s.length() > 120 ? s.substring(0, 120) + "..." : s) + "'";
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
