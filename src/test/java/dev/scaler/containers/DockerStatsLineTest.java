package dev.scaler.containers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** docker stats' rounded text back into numbers, as a table; and every malformed field named with its value. */
class DockerStatsLineTest {

    /** A line as the docker CLI (20.10) prints it, recorded on this machine. */
    static final String RECORDED = "{\"BlockIO\":\"0B / 0B\",\"CPUPerc\":\"48.04%\",\"Container\":\"fs-probe\","
            + "\"ID\":\"ed2282e14a5e\",\"MemPerc\":\"0.82%\",\"MemUsage\":\"540KiB / 64MiB\",\"Name\":\"fs-probe\","
            + "\"NetIO\":\"486B / 0B\",\"PIDs\":\"1\"}";

    static String line(String cpu, String mem, String net, String block) {
        return "{\"BlockIO\":\"" + block + "\",\"CPUPerc\":\"" + cpu + "\",\"Container\":\"c\",\"ID\":\"abc123\","
                + "\"MemPerc\":\"1.00%\",\"MemUsage\":\"" + mem + "\",\"Name\":\"p-web-1\",\"NetIO\":\"" + net
                + "\",\"PIDs\":\"1\"}";
    }

    @Test
    void aRecordedLine() {
        DockerStatsLine s = DockerStatsLine.parse(RECORDED);
        assertThat(s.id()).isEqualTo("ed2282e14a5e");
        assertThat(s.name()).isEqualTo("fs-probe");
        assertThat(s.cpuCores()).isCloseTo(0.4804, within(1e-9));
        assertThat(s.memoryBytes()).isEqualTo(540 * 1024L);
        assertThat(s.memoryLimit()).isEqualTo(64 * 1024 * 1024L);
        assertThat(s.received()).isEqualTo(486);
        assertThat(s.sent()).isZero();
        assertThat(s.read()).isZero();
        assertThat(s.written()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            zero                  | 0.00%    | 0.0
            two decimals          | 12.50%   | 0.125
            one core              | 100.00%  | 1.0
            two cores: above 100  | 198.73%  | 1.9873
            no decimals           | 7%       | 0.07
            unknown               | --       | null
            """)
    void cpuIsCoresUsed(String name, String cpu, Double cores) {
        Double parsed = DockerStatsLine.parse(line(cpu, "1MiB / 2MiB", "0B / 0B", "0B / 0B")).cpuCores();
        if (cores == null) {
            assertThat(parsed).isNull();
        } else {
            assertThat(parsed).isCloseTo(cores, within(1e-12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            bytes                   | 0B         | 0
            bytes, some             | 486B       | 486
            kB is 1000              | 1.5kB      | 1500
            MB                      | 2MB        | 2000000
            GB                      | 1.23GB     | 1230000000
            TB                      | 1TB        | 1000000000000
            KiB is 1024             | 540KiB     | 552960
            MiB                     | 1.2MiB     | 1258291
            GiB                     | 7.668GiB   | 8233452306
            TiB                     | 1TiB       | 1099511627776
            exponent (go %.4g)      | 1.024e+04GiB | 10995116277760
            space before unit       | 12 MiB     | 12582912
            unknown                 | --         | null
            """)
    void sizes(String name, String text, Long bytes) {
        assertThat(DockerStatsLine.bytes("NetIO", text)).isEqualTo(bytes);
    }

    @Test
    void pairsOfSizes() {
        DockerStatsLine s = DockerStatsLine.parse(line("1.00%", "1.2MiB / 7.7GiB", "1.5kB / 2MB", "4.1kB / 0B"));
        assertThat(s.memoryBytes()).isEqualTo(1_258_291L);
        assertThat(s.memoryLimit()).isEqualTo(8_267_812_045L);
        assertThat(s.received()).isEqualTo(1500);
        assertThat(s.sent()).isEqualTo(2_000_000);
        assertThat(s.read()).isEqualTo(4100);
        assertThat(s.written()).isZero();
    }

    /** What the CLI prints for a container it could not read: no usage (no series), never zero load. */
    @Test
    void unreadableContainerHasNoUsage() {
        DockerStatsLine s = DockerStatsLine.parse(line("--", "-- / --", "--", "--"));
        assertThat(s.cpuCores()).isNull();
        assertThat(s.memoryBytes()).isNull();
        assertThat(s.memoryLimit()).isNull();
        assertThat(s.received()).isNull();
        assertThat(s.usage(0)).isNull();
    }

    /** A stopped container's line, as recorded: 0 with no memory limit; a ratio cannot be worked out. */
    @Test
    void stoppedContainer() {
        ContainerUsage u = DockerStatsLine.parse(line("0.00%", "0B / 0B", "0B / 0B", "0B / 0B")).usage(0.5);
        assertThat(u.cpuRatio()).isZero();
        assertThat(u.memoryBytes()).isZero();
        assertThat(u.memoryRatio()).isNull();
    }

    /** The CLI's CPU % is of one core; the series are of the limit when there is one, as the local collector's. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no limit: of one core              | 98.00%  | 0    | 0.98
            limit 0.5: its half core used      | 48.04%  | 0.5  | 0.9608
            limit 2: one core used             | 100.00% | 2    | 0.5
            no limit, two cores busy           | 200.00% | 0    | 2.0
            """)
    void cpuRatioIsOfTheLimit(String name, String cpu, double limit, double ratio) {
        ContainerUsage u = DockerStatsLine.parse(line(cpu, "540KiB / 64MiB", "1.5kB / 2MB", "4.1kB / 1MB"))
                .usage(limit);
        assertThat(u.cpuRatio()).isCloseTo(ratio, within(1e-9));
        assertThat(u.memoryRatio()).isCloseTo(540.0 / (64 * 1024), within(1e-9));
        assertThat(u.networkReceivedBytes()).isEqualTo(1500);
        assertThat(u.networkSentBytes()).isEqualTo(2_000_000);
        assertThat(u.blockReadBytes()).isEqualTo(4100);
        assertThat(u.blockWrittenBytes()).isEqualTo(1_000_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                 | docker: Error response from daemon | docker stats line is not a JSON object: 'docker: Error
            JSON but not an object   | [1, 2]                              | docker stats line is not a JSON object: '[1, 2]'
            broken JSON              | {"ID": "a                           | docker stats line is not a JSON object: '{"ID": "a'
            """)
    void garbageLines(String name, String text, String message) {
        assertThatThrownBy(() -> DockerStatsLine.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            percent without %     | 12.5     | 1MiB / 2MiB | 0B / 0B  | 0B / 0B    | docker stats field CPUPerc: '12.5' is not a percentage like 12.50%
            negative percent      | -1.00%   | 1MiB / 2MiB | 0B / 0B  | 0B / 0B    | docker stats field CPUPerc: '-1.00%' is not a percentage like 12.50%
            unknown unit          | 1.00%    | 1MiB / 2MiB | 3XB / 0B | 0B / 0B    | docker stats field NetIO: '3XB' is not a size like 1.5kB or 540KiB
            unit in wrong case    | 1.00%    | 1mib / 2MiB | 0B / 0B  | 0B / 0B    | docker stats field MemUsage: '1mib' is not a size like 1.5kB or 540KiB
            no number             | 1.00%    | 1MiB / 2MiB | 0B / 0B  | kB / 0B    | docker stats field BlockIO: 'kB' is not a size like 1.5kB or 540KiB
            one size for a pair   | 1.00%    | 1MiB        | 0B / 0B  | 0B / 0B    | docker stats field MemUsage: '1MiB' is not two sizes like 1.5kB / 2MB
            three sizes           | 1.00%    | 1MiB / 2MiB | 0B / 0B / 0B | 0B / 0B | docker stats field NetIO: '0B / 0B / 0B' is not two sizes like 1.5kB / 2MB
            """)
    void garbageFieldsAreNamedWithTheirValue(String name, String cpu, String mem, String net, String block,
                                              String message) {
        assertThatThrownBy(() -> DockerStatsLine.parse(line(cpu, mem, net, block)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void missingFieldIsNamed() {
        assertThatThrownBy(() -> DockerStatsLine.parse("{\"ID\":\"abc\",\"Name\":\"n\",\"MemUsage\":\"0B / 0B\","
                + "\"NetIO\":\"0B / 0B\",\"BlockIO\":\"0B / 0B\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("docker stats field CPUPerc is missing");
        assertThatThrownBy(() -> DockerStatsLine.parse(RECORDED.replace("\"PIDs\":\"1\"", "\"PIDs\":\"1\"")
                .replace("\"Name\":\"fs-probe\"", "\"Name\":7")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("docker stats field Name is not text: '7'");
    }
}
