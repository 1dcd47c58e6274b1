package dev.scaler.execution;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes extra variables for {@code ansible-playbook -e @file}.
 * Every string is tagged {@code !unsafe}: values come from configuration and metrics, and Ansible
 * would otherwise evaluate any {@code {{ ... }}} in them as a template, on the target host.
 */
final class ExtraVarsFile {

    private static final Pattern VARIABLE_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private static final Tag UNSAFE = new Tag("!unsafe");

    private ExtraVarsFile() {
    }

    /** Creates the file owner-only from the start, so no other user can read it even for a moment. */
    static Path write(Map<String, Object> variables) throws IOException {
        Path file = Files.createTempFile("scaler-vars-", ".yml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(file, render(variables), StandardCharsets.UTF_8);
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    static String render(Map<String, Object> variables) {
        Map<String, Object> tagged = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an Ansible variable name: '" + name + "'");
            }
            tagged.put(name, tag(name, value));
        });
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setExplicitStart(true);
        return new Yaml(new UnsafeRepresenter(options), options).dump(tagged);
    }

    /** Wraps every string (at any depth) so the representer can tag it; numbers and booleans stay plain. */
    private static Object tag(String name, Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof CharSequence || value instanceof Path || value instanceof Enum<?>
                || value instanceof Character) {
            return new UnsafeText(value.toString());
        }
        if (value instanceof Collection<?> items) {
            List<Object> tagged = new ArrayList<>(items.size());
            items.forEach(item -> tagged.add(tag(name, item)));
            return tagged;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> tagged = new LinkedHashMap<>();
            map.forEach((k, v) -> tagged.put(String.valueOf(k), tag(name, v)));
            return tagged;
        }
        throw new IllegalArgumentException("variable '" + name + "' has an unsupported type "
                + value.getClass().getName());
    }

    /** A string value to be emitted as {@code !unsafe "..."}; keys stay plain strings. */
    private record UnsafeText(String text) {
    }

    private static final class UnsafeRepresenter extends Representer {
        UnsafeRepresenter(DumperOptions options) {
            super(options);
            // Double-quoted keeps every character (newlines, leading spaces, quotes) exactly as given.
            this.representers.put(UnsafeText.class, data -> new ScalarNode(UNSAFE, ((UnsafeText) data).text(),
                    null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED));
        }
    }
}
