package dev.falcon.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The tensor bytes of one file, memory-mapped a few large regions at a time rather than one mapping per
 * tensor. Each mapping is a kernel map entry until the garbage collector frees its buffer, and a process
 * may hold only vm.max_map_count (65530 by default) of them: mapping per tensor ran out of them when many
 * small files were opened in a row (the llama2.c fuzzer died with ENOMEM). A region is as long as one
 * ByteBuffer allows (2 GiB) and ends on a tensor boundary, so every tensor lies inside one region.
 */
final class MappedRegions {

    private static final long MAX_REGION = Integer.MAX_VALUE;

    private final FileChannel channel;
    /** File offsets where each region starts and ends, ascending. */
    private final long[] starts;
    private final long[] ends;
    private final MappedByteBuffer[] mapped;

    /**
     * @param tensors byte ranges [begin, end) in the file; each at most 2 GiB long
     */
    MappedRegions(FileChannel channel, Collection<long[]> tensors) {
        this.channel = channel;
        List<long[]> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> regions = new ArrayList<>();
        for (long[] t : sorted) {
            long[] last = regions.isEmpty() ? null : regions.get(regions.size() - 1);
            if (last != null && Math.max(last[1], t[1]) - last[0] <= MAX_REGION) {
                last[1] = Math.max(last[1], t[1]);
            } else {
                regions.add(new long[] {t[0], t[1]});
            }
        }
        this.starts = regions.stream().mapToLong(r -> r[0]).toArray();
        this.ends = regions.stream().mapToLong(r -> r[1]).toArray();
        this.mapped = new MappedByteBuffer[regions.size()];
    }

    /** A read-only little-endian view of the file's bytes [begin, end), which must be one of the tensors. */
    synchronized ByteBuffer slice(long begin, long end) throws IOException {
        int i = Arrays.binarySearch(starts, begin);
        i = i >= 0 ? i : -i - 2;
        if (i < 0 || end > ends[i]) {
            throw new IllegalArgumentException("bytes " + begin + ".." + end + " are not one tensor's");
        }
        if (mapped[i] == null) {
            mapped[i] = channel.map(FileChannel.MapMode.READ_ONLY, starts[i], ends[i] - starts[i]);
        }
        return mapped[i].slice((int) (begin - starts[i]), (int) (end - begin))
                .asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
