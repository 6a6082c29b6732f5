package dev.dockerproxy.it.faults;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A deterministic pseudo-random byte stream of a given length, generated on the fly (never held in
 * memory), with the SHA-256 of the bytes handed out so far. Same seed, same bytes.
 */
final class PrngStream extends InputStream {

    private final SplittableRandom random;
    private final long length;
    private final MessageDigest digest = sha256();
    private long position;
    private final byte[] block = new byte[64 * 1024];
    private int blockPos = block.length;

    PrngStream(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.length = length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        if (blockPos == block.length) {
            for (int i = 0; i < block.length; i += 8) {
                long v = random.nextLong();
                for (int j = 0; j < 8; j++) {
                    block[i + j] = (byte) (v >>> (8 * j));
                }
            }
            blockPos = 0;
        }
        int n = (int) Math.min(Math.min(len, block.length - blockPos), length - position);
        System.arraycopy(block, blockPos, b, off, n);
        digest.update(block, blockPos, n);
        blockPos += n;
        position += n;
        return n;
    }

    long position() {
        return position;
    }

    /** Hex SHA-256 of everything read so far (call once, at the end). */
    String sha256Hex() {
        if (hex == null) {
            hex = HexFormat.of().formatHex(digest.digest());
        }
        return hex;
    }

    String sha256HexShort() {
        return sha256Hex().substring(0, 12);
    }

    private String hex;

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
