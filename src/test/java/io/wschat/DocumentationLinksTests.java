package io.wschat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documents link to each other and into the code; a file moved or a heading renamed must not
 * leave a reader at a dead link. Every relative link in README.md and docs/*.md must name a file
 * or directory that exists, and an {@code #anchor} must name a heading of the target, as GitHub
 * derives anchors from headings. Links to other sites are not fetched.
 */
class DocumentationLinksTests {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    /** An inline link or image, {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*])*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            List<String> lines = proseLines(document);
            for (int i = 0; i < lines.size(); i++) {
                Matcher link = LINK.matcher(CODE_SPAN.matcher(lines.get(i)).replaceAll(""));
                while (link.find()) {
                    String problem = problemWith(document, link.group(1));
                    if (problem != null) {
                        broken.add(ROOT.relativize(document) + ":" + (i + 1) + ": " + link.group(1) + " — " + problem);
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void everyDocumentIsReachableFromTheReadme() throws IOException {
        Set<Path> reached = new HashSet<>();
        List<Path> toRead = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        while (!toRead.isEmpty()) {
            Path document = toRead.remove(toRead.size() - 1).normalize();
            if (!reached.add(document) || !Files.isRegularFile(document)) {
                continue;
            }
            for (String line : proseLines(document)) {
                Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (link.find()) {
                    String target = link.group(1).split("#", 2)[0];
                    if (!target.isEmpty() && !EXTERNAL.matcher(target).find() && target.endsWith(".md")) {
                        toRead.add(document.getParent().resolve(target));
                    }
                }
            }
        }
        List<Path> unreached = documents().stream().filter(d -> !reached.contains(d)).map(ROOT::relativize).toList();
        assertThat(unreached).as("documents no chain of links from README.md leads to").isEmpty();
    }

    /** Null when the link resolves, otherwise what is wrong with it. */
    private static String problemWith(Path document, String target) throws IOException {
        if (EXTERNAL.matcher(target).find()) {
            return null;
        }
        String[] parts = target.split("#", 2);
        Path file = parts[0].isEmpty() ? document : document.getParent().resolve(parts[0]).normalize();
        if (!file.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (parts.length == 2 && file.toString().endsWith(".md") && !anchors(file).contains(parts[1])) {
            return "no heading with this anchor in " + ROOT.relativize(file);
        }
        return null;
    }

    /** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
    private static Set<String> anchors(Path document) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseLines(document)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String text = heading.group(2)
                        .replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1")  // a link's text stays, its target goes
                        .replace("`", "")
                        .toLowerCase(Locale.ROOT);
                String slug = text.replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
                int repeat = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeat == 0 ? slug : slug + "-" + repeat);
            }
        }
        return anchors;
    }

    /** The document's lines with fenced code blocks blanked, so neither their links nor their '#' lines count. */
    private static List<String> proseLines(Path document) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(document));
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String stripped = lines.get(i).stripLeading();
            if (fence == null && (stripped.startsWith("```") || stripped.startsWith("~~~"))) {
                fence = stripped.substring(0, 3);
                lines.set(i, "");
            } else if (fence != null) {
                if (stripped.startsWith(fence)) {
                    fence = null;
                }
                lines.set(i, "");
            }
        }
        return lines;
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }
}
