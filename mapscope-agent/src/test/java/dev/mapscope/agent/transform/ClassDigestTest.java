package dev.mapscope.agent.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The woven cache's key: the same members give the same digest whatever their order; any other change a new one. */
class ClassDigestTest {
    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aClassFileHasANonZeroDigestThatItKeeps() throws IOException {
        byte[] b = classFile(java.util.HashMap.class);
        assertThat(ClassDigest.of(b)).isNotZero().isEqualTo(ClassDigest.of(b.clone()));
    }

    @Test
    void swappingTwoMethodsKeepsTheDigest() throws IOException {
        byte[] b = classFile(java.util.concurrent.FutureTask.class);
        int[] m = Members.methods(b);
        // the first two methods' blobs, exchanged in place (what the JVM's rebuilt class files do, in general)
        int a0 = m[0], a1 = m[1], b1 = m[2];
        byte[] swapped = b.clone();
        System.arraycopy(b, a1, swapped, a0, b1 - a1);
        System.arraycopy(b, a0, swapped, a0 + (b1 - a1), a1 - a0);
        assertThat(swapped).isNotEqualTo(b);
        assertThat(ClassDigest.of(swapped)).isEqualTo(ClassDigest.of(b));
    }

    @Test
    void changingOneByteOfCodeChangesTheDigest() throws IOException {
        byte[] b = classFile(java.util.concurrent.FutureTask.class);
        int[] m = Members.methods(b);
        byte[] changed = b.clone();
        changed[m[1] - 1] ^= 1; // the last byte of the first method: inside its last attribute
        assertThat(ClassDigest.of(changed)).isNotEqualTo(ClassDigest.of(b));
    }

    @Test
    void notAClassFileIsZero() {
        assertThat(ClassDigest.of(new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0})).isZero();
    }

    /** Offsets of the first, second and third method of a class file (a walk of JVMS 4.1 written for this test). */
    private static final class Members {
        static int[] methods(byte[] b) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
            in.position(8);
            int count = in.getShort() & 0xFFFF;
            for (int i = 1; i < count; i++) {
                int tag = in.get();
                int skip = switch (tag) {
                    case 1 -> in.getShort(in.position()) + 2;
                    case 7, 8, 16, 19, 20 -> 2;
                    case 15 -> 3;
                    case 5, 6 -> 8;
                    default -> 4;
                };
                if (tag == 5 || tag == 6) {
                    i++;
                }
                in.position(in.position() + skip);
            }
            in.position(in.position() + 6);
            int interfaces = in.getShort() & 0xFFFF;
            in.position(in.position() + 2 * interfaces);
            int fields = in.getShort() & 0xFFFF;
            for (int f = 0; f < fields; f++) {
                member(in);
            }
            in.getShort(); // methods count
            int[] at = new int[3];
            for (int k = 0; k < 3; k++) {
                at[k] = in.position();
                member(in);
            }
            return at;
        }

        private static void member(java.nio.ByteBuffer in) {
            in.position(in.position() + 6);
            int attributes = in.getShort() & 0xFFFF;
            for (int a = 0; a < attributes; a++) {
                in.getShort();
                int length = in.getInt();
                in.position(in.position() + length);
            }
        }
    }
}
