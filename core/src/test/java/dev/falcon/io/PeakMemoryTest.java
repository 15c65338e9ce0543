package dev.falcon.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeakMemoryTest {

    /** The layout of a Linux 5.x /proc/PID/status around the memory fields (values from a real JVM). */
    private static final String STATUS = """
            Name:\tjava
            Umask:\t0022
            State:\tS (sleeping)
            VmPeak:\t 9873416 kB
            VmSize:\t 9808904 kB
            VmLck:\t       0 kB
            VmHWM:\t 1706292 kB
            VmRSS:\t  982044 kB
            RssAnon:\t  801244 kB
            Threads:\t38
            """;

    @Test
    void readsVmHwmNotThePeakOfVirtualMemoryOrTheCurrentRss() {
        assertEquals(OptionalLong.of(1706292), PeakMemory.vmHwmKib(STATUS));
    }

    @Test
    void readsTheCurrentResidentSetFromVmRss() {
        assertEquals(OptionalLong.of(982044), PeakMemory.vmRssKib(STATUS));
        assertEquals(OptionalLong.empty(), PeakMemory.vmRssKib(STATUS.replace("VmRSS:", "VmXXX:")));
    }

    @Test
    void aStatusWithoutVmHwmHasNoPeak() {
        assertEquals(OptionalLong.empty(), PeakMemory.vmHwmKib(STATUS.replace("VmHWM:", "VmXXX:")));
        assertEquals(OptionalLong.empty(), PeakMemory.vmHwmKib(""));
    }

    @Test
    void theReportLineRoundTripsAndTheLastReportWins() {
        String line = PeakMemory.reportLine(1706292);
        assertEquals("falcon-peak-memory: VmHWM 1706292 kB", line);
        assertEquals(OptionalLong.of(1706292), PeakMemory.parseReport(List.of("progress", line, "done")));
        assertEquals(OptionalLong.of(7), PeakMemory.parseReport(List.of(line, PeakMemory.reportLine(7))));
        assertEquals(OptionalLong.empty(), PeakMemory.parseReport(List.of("VmHWM: 12 kB", "peak 12")));
    }

    @Test
    void thisProcessHasAPeakAtLeastItsCurrentResidentSetOnLinux() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return; // not Linux: nothing to read
        }
        long rss = Long.parseLong(Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .findFirst().orElseThrow().replaceAll("\\D", ""));
        long peak = PeakMemory.ownPeakKib().orElseThrow();
        assertTrue(peak >= rss && rss > 0, peak + " kB peak, " + rss + " kB now");
        long resident = PeakMemory.ownResidentKib().orElseThrow();
        assertTrue(resident > 0 && resident <= PeakMemory.ownPeakKib().orElseThrow(), resident + " kB resident");
    }

    @Test
    void printsTheReportOnlyWhenAsked() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.clearProperty(PeakMemory.REPORT_PROPERTY);
        PeakMemory.reportIfRequested(err);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        System.setProperty(PeakMemory.REPORT_PROPERTY, "true");
        try {
            PeakMemory.reportIfRequested(err);
        } finally {
            System.clearProperty(PeakMemory.REPORT_PROPERTY);
        }
        assertTrue(PeakMemory.parseReport(bytes.toString(StandardCharsets.UTF_8).lines().toList()).isPresent()
                || !Files.exists(Path.of("/proc/self/status")));
    }
}
