package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.bootstrap.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * JWTs from an identity provider, configured with Spring Boot's own resource-server settings (here
 * the provider's public key): tokens signed by a key pair made by this test, the owner the token's
 * subject, the role read from a claim whose name is configured. A token signed by another key,
 * expired, or granting no role gets no further than a 401 or a 403.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:jwt-access;DB_CLOSE_DELAY=-1",
      "orchestro.security.jwt.roles-claim=orchestro_roles"
    })
@Import(EngineTestSupport.Beans.class)
class JwtAccessTest {

  private static final KeyPair ISSUER = rsaKeyPair();
  private static final KeyPair IMPOSTOR = rsaKeyPair();

  @DynamicPropertySource
  static void issuersPublicKey(DynamicPropertyRegistry registry) throws IOException {
    Path pem = Files.createTempFile("issuer-public-key", ".pem");
    pem.toFile().deleteOnExit();
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.public-key-location",
        () -> pem.toUri().toString());
  }

  @LocalServerPort int port;

  private ApiClient bearing(String token) {
    return new ApiClient(port).as(token);
  }

  @Test
  void theSubjectOwnsAndTheClaimGivesTheRole() {
    ApiClient jo = bearing(token(ISSUER, "jo", "[\"operator\"]", Duration.ofMinutes(5)));
    assertThat(jo.get("/api/me").body().toString())
        .isEqualTo("{\"owner\":\"jo\",\"role\":\"operator\"}");
    assertThat(jo.createThread("signed and sealed", "general")).isNotBlank();
    assertProblem(jo.putDelayWorkflow("jo-made", 1, 1), 403);

    // the highest role named wins; a space-separated string works as scope does
    ApiClient boss = bearing(token(ISSUER, "boss", "\"viewer admin\"", Duration.ofMinutes(5)));
    assertThat(boss.get("/api/me").body().get("role").asString()).isEqualTo("admin");
    assertThat(boss.putDelayWorkflow("boss-made", 1, 1).status()).isIn(200, 201);
  }

  @Test
  void aViewerTokenReadsOnly() {
    ApiClient viewer = bearing(token(ISSUER, "vi", "[\"Viewer\"]", Duration.ofMinutes(5)));
    assertThat(viewer.get("/api/threads").status()).isEqualTo(200);
    assertProblem(viewer.post("/api/threads", "{\"prompt\":\"no\"}"), 403);
  }

  @Test
  void forgedExpiredAndRolelessTokensGetNowhere() {
    ApiClient forged = bearing(token(IMPOSTOR, "eve", "[\"admin\"]", Duration.ofMinutes(5)));
    assertProblem(forged.get("/api/threads"), 401);
    ApiClient expired = bearing(token(ISSUER, "old", "[\"admin\"]", Duration.ofMinutes(-5)));
    ApiClient.Reply late = expired.get("/api/threads");
    assertProblem(late, 401);
    assertThat(late.raw().headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    ApiClient roleless = bearing(token(ISSUER, "nobody", "[\"guest\"]", Duration.ofMinutes(5)));
    assertProblem(roleless.get("/api/threads"), 403);
    assertProblem(new ApiClient(port).get("/api/threads"), 401);
  }

  /** A token signed with RS256 by {@code signer}; {@code roles} is the claim's JSON value. */
  private static String token(KeyPair signer, String subject, String roles, Duration validFor) {
    Instant now = Instant.now();
    try {
      JWTClaimsSet claims =
          JWTClaimsSet.parse(
              "{\"sub\":\""
                  + subject
                  + "\",\"orchestro_roles\":"
                  + roles
                  + ",\"iat\":"
                  + now.minus(Duration.ofMinutes(10)).getEpochSecond()
                  + ",\"exp\":"
                  + now.plus(validFor).getEpochSecond()
                  + "}");
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
      jwt.sign(new RSASSASigner(signer.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
