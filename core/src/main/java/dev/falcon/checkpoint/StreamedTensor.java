package dev.falcon.checkpoint;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A tensor's bytes made only when its file is written, so that a writer of a large checkpoint holds one
 * chunk of one tensor at a time rather than the model ({@link SafetensorsWriter#add(String,
 * dev.falcon.engine.DType, long[], StreamedTensor)}).
 */
@FunctionalInterface
public interface StreamedTensor {

    /**
     * Writes the tensor's content (little-endian elements, in order) to {@code out}, in chunks of any size;
     * exactly its byte length in all, or the file is not written.
     */
    void writeTo(WritableByteChannel out) throws IOException;
}
