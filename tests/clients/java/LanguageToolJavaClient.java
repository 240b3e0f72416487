// LanguageTool's Java client (RemoteLanguageTool) as an application would use it, run by
// tests/test_lt_api.py with `java` (a single source file needs no build). Prints JSON:
//
//   check  <server> <language> <file>   the matches, each with the text it covers as Java counts it
//   limits <server> <language>          getMaxTextLength() and getConfigurationInfo()
//
// A refusal is the client's exception, on stderr, with exit status 1.
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.languagetool.remote.CheckConfigurationBuilder;
import org.languagetool.remote.RemoteConfigurationInfo;
import org.languagetool.remote.RemoteLanguageTool;
import org.languagetool.remote.RemoteResult;
import org.languagetool.remote.RemoteRuleMatch;

public class LanguageToolJavaClient {
  public static void main(String[] args) throws Exception {
    RemoteLanguageTool client = new RemoteLanguageTool(new URL(args[1]));
    Map<String, Object> answer = new LinkedHashMap<>();
    if (args[0].equals("check")) {
      String text = Files.readString(Path.of(args[3]), StandardCharsets.UTF_8);
      RemoteResult result = client.check(text, new CheckConfigurationBuilder(args[2]).build());
      List<Map<String, Object>> matches = new ArrayList<>();
      for (RemoteRuleMatch match : result.getMatches()) {
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("ruleId", match.getRuleId());
        found.put("offset", match.getErrorOffset());
        found.put("length", match.getErrorLength());
        // String.substring counts UTF-16 units, as LanguageTool's offsets do.
        found.put("covered", text.substring(match.getErrorOffset(), match.getErrorOffset() + match.getErrorLength()));
        found.put("categoryId", match.getCategoryId().orElse(null));
        found.put("issueType", match.getLocQualityIssueType().orElse(null));
        matches.add(found);
      }
      answer.put("language", result.getLanguageCode());
      answer.put("matches", matches);
    } else {
      RemoteConfigurationInfo info = client.getConfigurationInfo("language=" + args[2]);
      answer.put("maxTextLength", client.getMaxTextLength());
      answer.put("configMaxTextLength", info.getMaxTextLength());
      answer.put("rules", info.getRemoteRules().size());
    }
    System.out.println(new ObjectMapper().writeValueAsString(answer));
  }
}
