import org.languagetool.JLanguageTool;
import org.languagetool.Languages;
import org.languagetool.rules.Rule;
import org.languagetool.rules.TextLevelRule;

/**
 * Lists the active text-level rules of a language with how many paragraphs each needs to see
 * (LanguageTool's own minToCheckParagraph: -1 the whole text, 0 its own paragraph, n that many
 * paragraphs around it). Run by bench/paragraph_parity.py.
 */
public class TextLevelRules {
  public static void main(String[] args) throws Exception {
    JLanguageTool tool = new JLanguageTool(Languages.getLanguageForShortCode(args[0]));
    for (Rule rule : tool.getAllActiveRules()) {
      if (rule instanceof TextLevelRule) {
        System.out.println(rule.getId() + "\t" + ((TextLevelRule) rule).minToCheckParagraph());
      }
    }
  }
}
