package org.betaas.common.h2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * H2 files ({@code jdbc:h2:fulldisk:/path}) on a disk that can be made full: while {@link #full} is set, every write
 * fails as it does on a full file system. Registered with H2's pluggable file systems.
 */
public final class FullDisk extends FilePathWrapper {

    /** Set: every write fails. Tests that set it clear it again when they end. */
    public static volatile boolean full;

    static {
        FilePath.register(new FullDisk());
    }

    /** The URL of an H2 database in {@code folder} on this disk. */
    public static String url(java.nio.file.Path folder, String name) {
        return "jdbc:h2:fulldisk:" + folder.resolve(name).toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public String getScheme() {
        return "fulldisk";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(getBase().open(mode));
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        private static void room() throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            room();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            room();
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            room();
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            room();
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
