package org.archrepair.models.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that counts the bytes read through it, so that parse errors can name the byte
 * offset at fault (of the file on disk, or of the decompressed stream). Not thread-safe.
 */
final class CountingInputStream extends FilterInputStream {
    private long position;

    CountingInputStream(InputStream in) {
        super(in);
    }

    long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) position++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        position += s;
        return s;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
