package dev.falcon.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5: the demo's report.html (and, issue #13, each method's audit.html) opens in headless Chromium with no console errors and renders to PNG.
 * The first four tests prove the detector: each kind of fault on a small page is reported, a clean page is not.
 */
class ReportChromiumTest {

    private HeadlessChromium chromium;

    @TempDir
    Path tmp;

    /** Per test rather than per class, so that surefire lists each skipped test with the reason. */
    @BeforeEach
    void findBrowser() {
        chromium = HeadlessChromium.require();
    }

    @Test
    void reportsConsoleError() throws Exception {
        List<String> problems = render("<script>console.error('broken ' + 6 * 7)</script>");
        assertEquals(1, problems.size(), problems::toString);
        // the argument is evaluated by the page, so "broken 42" can only come from the browser's console
        assertTrue(problems.get(0).startsWith("console.error: broken 42"), problems::toString);
    }

    @Test
    void reportsScriptError() throws Exception {
        List<String> problems = render("<script>noSuchFunction()</script>");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("ReferenceError: noSuchFunction is not defined"), problems::toString);
    }

    @Test
    void reportsMissingImage() throws Exception {
        List<String> problems = render("<img alt=\"gone\" src=\"missing.png\">");
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("failed load:") && p.contains("missing.png")),
                problems::toString);
    }

    @Test
    void cleanPageHasNoProblems() throws Exception {
        // console.log is informational and an inlined image loads, like the report's charts
        List<String> problems = render("<p>fine</p><script>console.log('just info')</script>"
                + "<img alt=\"dot\" src=\"data:image/png;base64," + onePixelPng() + "\">");
        assertEquals(List.of(), problems);
    }

    @Test
    void demoReportRendersWithoutProblems() throws Exception {
        new DemoPipeline(DemoPipelineTest.tiny(), tmp.resolve("cache"), DemoListener.SILENT, true)
                .run(tmp.resolve("out"));
        for (String method : List.of("falcon", "rmu", "npo")) {
            Path audit = tmp.resolve("out/audit-" + method + "/audit.html");
            assertEquals(List.of(), chromium.render(audit, tmp.resolve(method + ".png")), audit::toString);
        }
        Path png = tmp.resolve("report.png");
        List<String> problems = chromium.render(tmp.resolve("out/report.html"), png);
        assertEquals(List.of(), problems);

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the screenshot decodes as an image");
        assertEquals(HeadlessChromium.WIDTH, image.getWidth());
        // fifteen charts 400 px tall are stacked (see DemoPipelineTest); broken images would be a few pixels each
        assertTrue(image.getHeight() >= 15 * 400, "page height " + image.getHeight());
        assertTrue(distinctColours(image) > 1, "the page is not blank");
    }

    private List<String> render(String body) throws IOException, InterruptedException {
        Path html = tmp.resolve("page.html");
        Files.writeString(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>t</title></head><body>"
                + body + "</body></html>\n");
        Path png = tmp.resolve("page.png");
        List<String> problems = chromium.render(html, png);
        assertEquals(HeadlessChromium.WIDTH, ImageIO.read(png.toFile()).getWidth());
        return problems;
    }

    private static String onePixelPng() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", png);
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
