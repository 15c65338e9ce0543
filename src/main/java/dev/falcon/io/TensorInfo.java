package dev.falcon.io;

/** Where one tensor's bytes lie in a file: [begin, end) relative to the data section. */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public long numel() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public long byteLength() {
        return end - begin;
    }
}
