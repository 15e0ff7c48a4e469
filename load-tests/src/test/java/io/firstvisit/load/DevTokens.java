package io.firstvisit.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Mints the same development tokens as {@code bin/dev-token}: RS256, kid firstvisit-dev, valid 24 h,
 * signed with the PKCS#8 key the dev and test profiles trust. Header and claim order match the script.
 */
final class DevTokens {

  private static final String HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"firstvisit-dev\"}";
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey key;
  private final String issuer;

  DevTokens(Path pkcs8Pem, String issuer) {
    this.key = readKey(pkcs8Pem);
    this.issuer = issuer;
  }

  String patient(String account) {
    return mint(account, "patient");
  }

  String scheduler(String account) {
    return mint(account, "scheduler");
  }

  private String mint(String account, String group) {
    long now = Instant.now().getEpochSecond();
    String payload = String.format(
        "{\"iss\":\"%s\",\"sub\":\"%s\",\"upn\":\"%s\",\"groups\":[\"%s\"],\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}",
        escape(issuer), escape(account), escape(account), group, now, now + 86_400, UUID.randomUUID());
    String signingInput = b64(HEADER) + "." + b64(payload);
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a dev token", e);
    }
  }

  private static String b64(String json) {
    return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static PrivateKey readKey(Path pem) {
    try {
      String text = Files.readString(pem, StandardCharsets.US_ASCII);
      if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
        throw new IllegalArgumentException(pem + " is not a PKCS#8 PEM (expected BEGIN PRIVATE KEY)");
      }
      String base64 = text
          .replace("-----BEGIN PRIVATE KEY-----", "")
          .replace("-----END PRIVATE KEY-----", "")
          .replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read private key " + pem, e);
    }
  }
}
