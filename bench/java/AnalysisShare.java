import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import org.languagetool.JLanguageTool;
import org.languagetool.Languages;

/**
 * How much of a LanguageTool check is text analysis (sentences, tokens, tags, disambiguation,
 * chunks), which every check pays whatever rules are on, and how much is the rules. One thread,
 * so the figures are CPU work: a whole check (JLanguageTool.check) against the analysis alone
 * (JLanguageTool.analyzeText) of the same text, each round on a text made unique, after a warm-up.
 * Prints tab-separated medians in milliseconds: check, analysis. Run by bench/languagetool_analysis.py.
 */
public class AnalysisShare {
  public static void main(String[] args) throws Exception {
    String language = args[0];
    int rounds = Integer.parseInt(args[1]);
    String text = new String(Files.readAllBytes(Paths.get(args[2])), StandardCharsets.UTF_8);
    JLanguageTool tool = new JLanguageTool(Languages.getLanguageForShortCode(language));
    int unique = 0;
    for (int i = 0; i < 40; i++) {
      tool.check("Warm-up round " + unique++ + ". " + text);
    }
    double[] check = new double[rounds];
    double[] analysis = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      tool.check("Round " + unique++ + ". " + text);
      check[i] = (System.nanoTime() - start) / 1e6;
      start = System.nanoTime();
      tool.analyzeText("Round " + unique++ + ". " + text);
      analysis[i] = (System.nanoTime() - start) / 1e6;
    }
    System.out.println(median(check) + "\t" + median(analysis));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
