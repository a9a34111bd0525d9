import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files a letter into an office's submission box and saves its official receipt (UPP).
 *
 * <p>JDK 17 only (java.net.http.HttpClient), run as a single source file:
 *
 * <pre>
 * export URZAD_URL=https://urzad.example.gov.pl
 * export URZAD_TOKEN=uo_...            # an integration token of scope "submit"
 * java FileLetter.java umczestochowa skrytka wniosek.pdf [--title "Wniosek"] [--receipt upp.xml]
 *      [--attachment file]... [--idempotency-key KEY]
 * </pre>
 *
 * <p>Prints the document's id, the receipt's id and the time of receipt as JSON and writes the
 * receipt's XML (sealed with XAdES). A refused request prints the problem's code and detail and
 * exits with 1. Send the same Idempotency-Key again to retry safely after a lost answer.
 */
public class FileLetter {
  private record Part(String field, String fileName, String mediaType, byte[] data) {}

  public static void main(String[] argv) throws IOException, InterruptedException {
    List<String> positional = new ArrayList<>();
    List<String> attachments = new ArrayList<>();
    String title = null;
    String receiptFile = "receipt.xml";
    String idempotencyKey = UUID.randomUUID().toString();
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--title" -> title = argv[++i];
        case "--receipt" -> receiptFile = argv[++i];
        case "--attachment" -> attachments.add(argv[++i]);
        case "--idempotency-key" -> idempotencyKey = argv[++i];
        default -> positional.add(argv[i]);
      }
    }
    String token = System.getenv("URZAD_TOKEN");
    if (positional.size() != 3 || token == null || token.isEmpty()) {
      System.err.println(
          "usage: URZAD_URL=... URZAD_TOKEN=uo_... java FileLetter.java OFFICE BOX DOCUMENT"
              + " [--title T] [--attachment F]... [--receipt receipt.xml] [--idempotency-key K]");
      System.exit(2);
    }
    String base = System.getenv().getOrDefault("URZAD_URL", "http://localhost:3000").replaceAll("/$", "");

    List<Part> parts = new ArrayList<>();
    parts.add(part("document", Path.of(positional.get(2))));
    for (String attachment : attachments) parts.add(part("attachment", Path.of(attachment)));
    String boundary = "----urzad-" + UUID.randomUUID();
    byte[] body = multipart(boundary, title, parts);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    HttpRequest filing =
        HttpRequest.newBuilder(
                URI.create(base + "/api/v1/boxes/" + enc(positional.get(0)) + "/" + enc(positional.get(1)) + "/documents"))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> filed = check(http.send(filing, HttpResponse.BodyHandlers.ofByteArray()));
    String answer = new String(filed.body(), StandardCharsets.UTF_8);
    String receiptId = jsonString(answer, "receiptId");

    HttpRequest receiptRequest =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/receipts/" + enc(receiptId) + "?format=xml"))
            .timeout(Duration.ofMinutes(1))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<byte[]> receipt = check(http.send(receiptRequest, HttpResponse.BodyHandlers.ofByteArray()));
    Files.write(Path.of(receiptFile), receipt.body());
    boolean replayed = filed.headers().firstValue("idempotent-replayed").orElse("").equals("true");
    System.out.println(
        "{\"documentId\":\"" + jsonString(answer, "documentId") + "\",\"receiptId\":\"" + receiptId
            + "\",\"receivedAt\":\"" + jsonString(answer, "receivedAt") + "\",\"replayed\":" + replayed
            + ",\"receipt\":\"" + receiptFile.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }

  private static Part part(String field, Path path) throws IOException {
    String type = Files.probeContentType(path);
    return new Part(field, path.getFileName().toString(), type == null ? "application/octet-stream" : type, Files.readAllBytes(path));
  }

  private static byte[] multipart(String boundary, String title, List<Part> parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (title != null) {
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(title.getBytes(StandardCharsets.UTF_8));
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    for (Part p : parts) {
      // The file name goes in as UTF-8; quotes and line breaks cannot be part of it.
      String name = p.fileName().replace('"', '\'').replace('\r', ' ').replace('\n', ' ');
      out.write(
          ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.field() + "\"; filename=\"" + name
                  + "\"\r\nContent-Type: " + p.mediaType() + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(p.data());
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** An error answer (problem+json): its code and detail on stderr, exit 1. */
  private static HttpResponse<byte[]> check(HttpResponse<byte[]> response) {
    if (response.statusCode() < 400) return response;
    String problem = new String(response.body(), StandardCharsets.UTF_8);
    System.err.println("HTTP " + response.statusCode() + " " + jsonString(problem, "code") + ": " + jsonString(problem, "detail"));
    System.exit(1);
    return response;
  }

  /** One string member of a flat JSON object (the API's answers here have no nested strings we need). */
  private static String jsonString(String json, String name) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : "";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
