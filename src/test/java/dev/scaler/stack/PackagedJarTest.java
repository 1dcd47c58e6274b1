package dev.scaler.stack;

import dev.scaler.testing.RealParts;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static dev.scaler.stack.StackEndToEndTest.REPO;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar as the build packages it (src/build/java/StripLocalVariables.java, run after shading): no class keeps
 * its local variable table, which only debuggers read and which would stay resident for as long as the service
 * runs, while line numbers and source file names stay for stack traces. That the stripped jar runs is what every
 * test of the jar proves (the stack, the image, the class-data sharing archive).
 */
class PackagedJarTest {

    @Test
    void noClassKeepsLocalVariableNamesAndEveryOneKeepsItsLineNumbers() throws IOException {
        Path jar = StackEndToEndTest.freshJar().orElse(null);
        RealParts.require(jar != null, "a jar in target/ newer than its sources (mvn package -DskipTests)");
        List<String> withLocalVariables = new ArrayList<>();
        List<String> ownWithOtherLines = new ArrayList<>();
        int classes = 0;
        int own = 0;
        int ownWithLocalVariables = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
                    continue;
                }
                classes++;
                DebugAttributes found;
                try (InputStream in = zip.getInputStream(entry)) {
                    found = DebugAttributes.of(in.readAllBytes());
                }
                if (found.localVariables > 0) {
                    withLocalVariables.add(name);
                }
                Path compiled = REPO.resolve("target/classes").resolve(name);
                if (name.startsWith("dev/scaler/") && Files.isRegularFile(compiled)) {
                    // javac's output before packaging (Micronaut's generated classes have no lines to keep)
                    own++;
                    DebugAttributes javac = DebugAttributes.of(Files.readAllBytes(compiled));
                    if (javac.lineNumbers > 0 && javac.localVariables > 0) {
                        ownWithLocalVariables++;
                    }
                    if (found.lineNumbers != javac.lineNumbers || !Objects.equals(found.sourceFile, javac.sourceFile)) {
                        ownWithOtherLines.add(name);
                    }
                }
            }
        }
        assertThat(classes).as("classes in " + jar).isGreaterThan(10_000);
        assertThat(own).as("Scaler's own classes").isGreaterThan(100);
        assertThat(ownWithLocalVariables).as("Scaler's classes that javac gave local variable tables").isGreaterThan(100);
        assertThat(withLocalVariables).as("classes with a local variable table").isEmpty();
        assertThat(ownWithOtherLines).as("Scaler's classes whose line numbers or source file differ from javac's").isEmpty();
    }

    /** What one class file holds of the debug attributes. */
    private static final class DebugAttributes extends ClassVisitor {
        String sourceFile;
        int lineNumbers;
        int localVariables;

        private DebugAttributes() {
            super(Opcodes.ASM9);
        }

        static DebugAttributes of(byte[] classFile) {
            DebugAttributes found = new DebugAttributes();
            new ClassReader(classFile).accept(found, 0);
            return found;
        }

        @Override
        public void visitSource(String source, String debug) {
            sourceFile = source;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitLineNumber(int line, Label start) {
                    lineNumbers++;
                }

                @Override
                public void visitLocalVariable(String variable, String variableDescriptor, String variableSignature,
                                               Label start, Label end, int index) {
                    localVariables++;
                }
            };
        }
    }
}
