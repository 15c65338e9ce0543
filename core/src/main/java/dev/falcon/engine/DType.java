package dev.falcon.engine;

import dev.falcon.InputException;

import java.nio.file.Path;

/** Element types of safetensors files, named as the format names them. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    public String safetensorsName() {
        return name();
    }

    public static DType parse(String name, Path file) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new InputException(file, "unknown dtype '" + name + "'");
    }
}
