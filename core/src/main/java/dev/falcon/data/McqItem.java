package dev.falcon.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One multiple-choice question. {@code index} is its position in its data set (0-based, after
 * malformed rows were dropped); {@code file} and {@code line} say where it came from.
 */
public record McqItem(int index, String question, List<String> choices, int answer, String subject,
                      Path file, int line) {

    public McqItem {
        choices = List.copyOf(choices);
    }
}
