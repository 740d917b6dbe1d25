package dev.mapscope.agent.transform;

import java.util.zip.CRC32C;

/**
 * A checksum of a class file that does not depend on the order of its fields and methods: the key of a woven class
 * in {@link WovenCache}. A class file given to a transformer at retransformation is rebuilt by the JVM from the
 * loaded class, and the JVM does not keep the original order of methods: two runs of one JDK hand over the same
 * FutureTask with its methods in different orders (seen on JDK 17), so a checksum of the raw bytes would rarely hit.
 */
final class ClassDigest {
    /*
     * The class file is walked just far enough to delimit its parts (JVMS 4.1): the header, version and constant
     * pool, then access flags, this, super and interfaces are checksummed as they are; each field and each method
     * (with its attributes: code, exceptions, signature...) is checksummed alone and the results are added, which
     * does not depend on their order; the class attributes last. Two class files with the same digest and length
     * declare the same members with the same code against the same constant pool.
     */
    private ClassDigest() {}

    /** The digest, or 0 when the bytes are not a class file this walk understands (the caller then does not cache). */
    static long of(byte[] b) {
        try {
            int p = 10;
            int count = u2(b, 8);
            for (int i = 1; i < count; i++) {
                int tag = b[p] & 0xFF;
                switch (tag) {
                    case 1 -> p += 3 + u2(b, p + 1);
                    case 7, 8, 16, 19, 20 -> p += 3;
                    case 15 -> p += 4;
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5;
                    case 5, 6 -> {
                        p += 9;
                        i++; // takes two entries
                    }
                    default -> {
                        return 0;
                    }
                }
            }
            p += 6;
            p += 2 + 2 * u2(b, p); // interfaces
            long sum = crc(b, 0, p);
            for (int group = 0; group < 2; group++) { // fields, then methods
                int members = u2(b, p);
                p += 2;
                long groupSum = 0;
                for (int m = 0; m < members; m++) {
                    int start = p;
                    p = skipAttributes(b, p + 6);
                    groupSum += crc(b, start, p - start);
                }
                sum = sum * 31 + groupSum;
            }
            return sum * 31 + crc(b, p, b.length - p);
        } catch (ArrayIndexOutOfBoundsException e) {
            return 0;
        }
    }

    private static int skipAttributes(byte[] b, int p) {
        int n = u2(b, p);
        p += 2;
        for (int a = 0; a < n; a++) {
            p += 6 + u4(b, p + 2);
        }
        return p;
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return c.getValue();
    }

    private static int u2(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | b[p + 1] & 0xFF;
    }

    private static int u4(byte[] b, int p) {
        return u2(b, p) << 16 | u2(b, p + 2);
    }
}
