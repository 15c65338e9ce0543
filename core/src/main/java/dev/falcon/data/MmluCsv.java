package dev.falcon.data;

import dev.falcon.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * MMLU CSV files with header {@code question,choice0,...,choiceN,answer} (answer is the 0-based
 * choice index). Fields may be quoted and hold commas, quotes and newlines, and unquoted fields
 * keep their leading spaces (some MMLU questions start with one), as with Python's csv module.
 * The subject is the file stem without its split suffix ({@code anatomy_dev.csv} -> anatomy).
 */
final class MmluCsv {

    private MmluCsv() {
    }

    static String subjectOf(Path file) {
        return DataFiles.stem(file).replaceFirst("_(dev|test|val)$", "");
    }

    static void read(Path file, McqCollector out) {
        String text = DataFiles.readUtf8(file);
        String subject = subjectOf(file);
        LineCounter lines = new LineCounter(text);
        try (CSVParser parser = CSVParser.parse(text, CSVFormat.DEFAULT)) {
            Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) {
                return;
            }
            Header header = Header.of(file, records.next().toList());
            while (records.hasNext()) {
                CSVRecord record = records.next();
                header.add(file, lines.lineAt(record.getCharacterPosition()), record.toList(), subject, out);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InputException(file, "malformed CSV: " + e.getMessage(), e);
        }
    }

    /**
     * 1-based line numbers of records at increasing character offsets, counted once through the
     * text. A record's position can be that of the empty lines the parser skipped before it, so
     * line breaks at the position are passed over first.
     */
    private static final class LineCounter {
        private final String text;
        private int offset;
        private int line = 1;

        LineCounter(String text) {
            this.text = text;
        }

        int lineAt(long position) {
            int target = (int) position;
            while (target < text.length() && (text.charAt(target) == '\n' || text.charAt(target) == '\r')) {
                target++;
            }
            for (; offset < target; offset++) {
                char c = text.charAt(offset);
                boolean crlf = c == '\r' && offset + 1 < text.length() && text.charAt(offset + 1) == '\n';
                if (c == '\n' || (c == '\r' && !crlf)) {
                    line++;
                }
            }
            return line;
        }
    }

    /** Column positions of the header row. */
    private record Header(int width, int question, List<Integer> choices, int answer) {

        static Header of(Path file, List<String> names) {
            int question = names.indexOf("question");
            int answer = names.indexOf("answer");
            List<Integer> choices = new ArrayList<>();
            for (int i = names.indexOf("choice0"); i >= 0; i = names.indexOf("choice" + choices.size())) {
                choices.add(i);
            }
            if (question < 0 || answer < 0 || choices.isEmpty()) {
                throw new InputException(file, "line 1: the CSV header must name question, choice0.. and answer columns");
            }
            return new Header(names.size(), question, choices, answer);
        }

        void add(Path file, int line, List<String> row, String subject, McqCollector out) {
            if (row.size() != width) {
                out.problem(file, line, row.size() + " fields where the header has " + width);
                return;
            }
            List<String> choiceTexts = new ArrayList<>();
            for (int column : choices) {
                choiceTexts.add(row.get(column));
            }
            out.add(file, line, row.get(question), choiceTexts, row.get(answer), subject);
        }
    }
}
