package dev.falcon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.falcon.InputException;
import dev.falcon.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void textFileHasOneDocumentPerNonBlankLine() throws IOException {
        List<Document> docs = TextCorpus.read(write("in.txt", "first doc\n\n   \nsecond doc\r\nthird\n"));
        assertEquals(List.of("first doc", "second doc", "third"), docs.stream().map(Document::text).toList());
        assertFalse(docs.get(0).isQuestionAnswer());
        assertNull(docs.get(0).prompt());
    }

    @Test
    void jsonLinesMixTextAndQuestionAnswer() throws IOException {
        List<Document> docs = TextCorpus.read(write("in.jsonl",
                "{\"text\": \"plain one\"}\n\n{\"question\": \"Who?\", \"answer\": \"Me.\"}\n"));
        assertEquals("plain one", docs.get(0).text());
        Document qa = docs.get(1);
        assertEquals("Question: Who?\nAnswer: Me.", qa.text());
        assertEquals("Question: Who?\nAnswer:", qa.prompt());
        assertEquals(" Me.", qa.completion());
        assertEquals(qa.text(), qa.prompt() + qa.completion());
    }

    @Test
    void tofuArrayFileBecomesQuestionAnswerDocuments() {
        List<Document> docs = TextCorpus.read(SharedData.data().resolve("tofu/forget01.json"));
        assertEquals(40, docs.size()); // data/README.md: forget01 holds 40 QA pairs
        assertEquals("Question: What is the full name of the author born in Kuwait City, Kuwait on 08/09/1956?\n"
                + "Answer: The full name of the fictitious author born in Kuwait City, Kuwait on the 8th of "
                + "September, 1956 is Basil Mahfouz Al-Kuwaiti.", docs.get(0).text());
    }

    @Test
    void jsonLinesWithJsonExtensionAreRead() {
        // real_authors_perturbed.json is JSON lines despite its extension: 100 records (wc -l).
        List<Document> docs = TextCorpus.read(SharedData.data().resolve("tofu/real_authors_perturbed.json"));
        assertEquals(100, docs.size());
        assertEquals("Question: Who wrote the play 'Romeo and Juliet'?\nAnswer: William Shakespeare", docs.get(0).text());
    }

    @Test
    void emptyFileIsAnInputErrorNamingTheFile() throws IOException {
        Path file = write("empty.jsonl", "\n  \n");
        InputException e = assertThrows(InputException.class, () -> TextCorpus.read(file));
        assertEquals(file + ": no documents", e.getMessage());
    }

    @Test
    void malformedJsonLineReportsFileAndLine() throws IOException {
        Path file = write("bad.jsonl", "{\"text\": \"ok\"}\n\n{\"text\": \"unterminated\n");
        InputException e = assertThrows(InputException.class, () -> TextCorpus.read(file));
        assertTrue(e.getMessage().startsWith(file + ": line 3: malformed JSON"), e.getMessage());
    }

    @Test
    void twoObjectsOnOneLineAreMalformed() throws IOException {
        Path file = write("two.jsonl", "{\"text\": \"a\"} {\"text\": \"b\"}\n");
        InputException e = assertThrows(InputException.class, () -> TextCorpus.read(file));
        assertTrue(e.getMessage().startsWith(file + ": line 1: malformed JSON"), e.getMessage());
    }

    @Test
    void recordWithoutUsableFieldsReportsItsLine() throws IOException {
        Path file = write("fields.json", "[\n {\"text\": \"ok\"},\n {\"question\": \"no answer\"}\n]\n");
        InputException e = assertThrows(InputException.class, () -> TextCorpus.read(file));
        assertTrue(e.getMessage().startsWith(file + ": line 3: expected a non-empty string \"text\""), e.getMessage());
    }

    @Test
    void nonObjectArrayElementReportsItsLine() throws IOException {
        Path file = write("array.json", "[\n {\"text\": \"ok\"},\n 42\n]");
        InputException e = assertThrows(InputException.class, () -> TextCorpus.read(file));
        assertEquals(file + ": line 3: expected a JSON object", e.getMessage());
    }

    @Test
    void truncatedArrayIsAnInputError() throws IOException {
        Path file = write("cut.json", "[\n {\"text\": \"ok\"},\n {\"text\": \"cut");
        InputException e = assertThrows(InputException.class, () -> TextCorpus.read(file));
        assertTrue(e.getMessage().startsWith(file + ": line 3: malformed JSON"), e.getMessage());
    }

    @Test
    void unsupportedExtensionAndMissingFileAreInputErrors() throws IOException {
        Path csv = write("in.csv", "a,b\n");
        assertEquals(csv + ": unsupported file type (expected .txt, .jsonl or .json)",
                assertThrows(InputException.class, () -> TextCorpus.read(csv)).getMessage());
        Path missing = dir.resolve("missing.txt");
        assertEquals(missing + ": no such file",
                assertThrows(InputException.class, () -> TextCorpus.read(missing)).getMessage());
    }

    @Test
    void invalidUtf8IsAnInputError() throws IOException {
        Path file = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertEquals(file + ": not valid UTF-8 text",
                assertThrows(InputException.class, () -> TextCorpus.read(file)).getMessage());
    }

    @Test
    void wholeFileIsReadVerbatim() throws IOException {
        String text = " line one\r\n\n\tline two \n";
        assertEquals(text, TextCorpus.readWhole(write("page.txt", text)));
        Path empty = write("empty.txt", "");
        assertEquals(empty + ": empty file",
                assertThrows(InputException.class, () -> TextCorpus.readWhole(empty)).getMessage());
    }
}
