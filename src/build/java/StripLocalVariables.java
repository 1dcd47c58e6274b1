import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the service's jar without the local variable tables of its classes (issue 11), run by the build
 * after the jar is shaded: {@code java -cp asm.jar StripLocalVariables JAR}.
 *
 * <p>Every class's metadata is kept in memory for as long as the service runs (in the class-data sharing
 * archive, about 7 KB per class). Local variable names are read only by debuggers, yet most libraries ship
 * them; without them the archive is 3 MB smaller and so is the idle service. Line numbers and source file
 * names stay, so stack traces read as before. Any entry that is not a class, and module descriptors, are
 * copied unchanged; the order of the entries (the manifest first) is kept.
 */
public final class StripLocalVariables {

    private StripLocalVariables() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: StripLocalVariables JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        if (!Files.isRegularFile(jar)) {
            System.err.println("strip-local-variables: no jar " + jar);
            System.exit(2);
        }
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".stripping");
        long classes = 0;
        long before = 0;
        long after = 0;
        try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(jar)));
             ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(rewritten)))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                byte[] bytes = in.readAllBytes();
                String name = entry.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    classes++;
                    before += bytes.length;
                    bytes = withoutLocalVariables(name, bytes);
                    after += bytes.length;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(rewritten);
            throw e;
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("strip-local-variables: %s: %,d classes, %,d bytes of class files before, %,d after%n",
                jar, classes, before, after);
    }

    static byte[] withoutLocalVariables(String name, byte[] bytes) {
        try {
            ClassReader reader = new ClassReader(bytes);
            // no frames or maxima recomputed: dropping a debug attribute changes neither
            ClassWriter writer = new ClassWriter(0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                                                 String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9,
                            super.visitMethod(access, method, descriptor, signature, exceptions)) {
                        @Override
                        public void visitLocalVariable(String variable, String variableDescriptor,
                                                       String variableSignature, Label start, Label end, int index) {
                            // LocalVariableTable and LocalVariableTypeTable entries: dropped
                        }
                    };
                }
            }, 0);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            throw new IllegalStateException("strip-local-variables: cannot rewrite " + name + ": " + e, e);
        }
    }
}
