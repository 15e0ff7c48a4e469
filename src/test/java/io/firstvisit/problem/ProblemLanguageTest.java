package io.firstvisit.problem;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Answers in the parent's language (issue 13 §2), through the real routes: the same refusal, in zh-CN by default and
 * in English when asked, with the same type; the catalogue's names in both. ProblemTextsTest covers every text.
 */
@QuarkusTest
class ProblemLanguageTest {

    @Test
    void aSoldOutSlotIsRefusedInChineseByDefaultAndInEnglishOnRequest() {
        String slot = Api.openSlot(1);
        String winner = "lang-winner-" + slot;
        Api.book(winner, null, slot, Api.patient(winner)).then().statusCode(201);
        String account = "lang-parent-" + slot;
        String patient = Api.patient(account);

        booking(account, slot, patient, null).post("/api/v1/bookings").then().statusCode(409)
                .contentType(startsWith(ProblemMapper.PROBLEM_JSON))
                .header("Content-Language", "zh-CN").header("Vary", "Accept-Language")
                .body("type", endsWith("/sold-out")).body("title", equalTo("已约满")).body("detail", equalTo("该时段的号已全部约满"));
        booking(account, slot, patient, "en-GB,en;q=0.9").post("/api/v1/bookings").then().statusCode(409)
                .header("Content-Language", "en")
                .body("type", endsWith("/sold-out")).body("title", equalTo("Sold out")).body("detail", equalTo("No places are left in this slot"));
        // With an Idempotency-Key the answer is built on another path (the key's bookkeeping): the same words.
        booking(account, slot, patient, "en").header("Idempotency-Key", "lang-" + UUID.randomUUID()).post("/api/v1/bookings")
                .then().statusCode(409).header("Content-Language", "en").body("title", equalTo("Sold out"));
        booking(account, slot, patient, "zh-CN").header("Idempotency-Key", "lang-" + UUID.randomUUID()).post("/api/v1/bookings")
                .then().statusCode(409).header("Content-Language", "zh-CN").body("title", equalTo("已约满"));
        // A language we do not have, or a header that is not one, reads the default.
        booking(account, slot, patient, "fr-FR").post("/api/v1/bookings").then().statusCode(409).body("title", equalTo("已约满"));
        booking(account, slot, patient, ";;;=q").post("/api/v1/bookings").then().statusCode(409).body("title", equalTo("已约满"));
    }

    @Test
    void aSlotNotOpenYetSaysWhenInBothLanguages() {
        java.time.OffsetDateTime release = java.time.OffsetDateTime.now(Api.BEIJING).plusDays(1);
        String slot = Api.slots(Api.doctor("BCH", "NUTRITION", true), Api.freshDate(), release, 1, 1).get(0);
        String account = "lang-early-" + slot;
        String patient = Api.patient(account);
        String day = release.toLocalDate().toString();
        booking(account, slot, patient, null).post("/api/v1/bookings").then().statusCode(409)
                .body("type", endsWith("/not-open")).body("title", equalTo("尚未放号"))
                .body("detail", startsWith("该时段将于 " + day)).body("detail", endsWith(" 开放预约"));
        booking(account, slot, patient, "en").post("/api/v1/bookings").then().statusCode(409)
                .body("type", endsWith("/not-open")).body("title", equalTo("Not open yet"))
                .body("detail", startsWith("Booking for this slot opens at " + day));
    }

    @Test
    void theHttpLayersAnswersFollowTooBadInputNoTokenNoRoute() {
        given().auth().oauth2(Tokens.patient("lang-bad-input")).contentType(ContentType.JSON).body("{\"slotId\":")
                .post("/api/v1/bookings").then().statusCode(400).header("Content-Language", "zh-CN")
                .body("type", endsWith("/invalid-request")).body("title", equalTo("请求无效")).body("detail", equalTo("请求体不是格式正确的 JSON"));
        given().auth().oauth2(Tokens.patient("lang-bad-input")).header("Accept-Language", "en").contentType(ContentType.JSON)
                .body("{\"slotId\":").post("/api/v1/bookings").then().statusCode(400)
                .body("title", equalTo("The request is not valid")).body("detail", equalTo("The body is not well-formed JSON"));
        given().get("/api/v1/bookings").then().statusCode(401).body("type", endsWith("/unauthorized")).body("title", equalTo("需要登录"));
        given().header("Accept-Language", "en").get("/api/v1/bookings").then().statusCode(401).body("title", equalTo("Authentication required"));
        given().auth().oauth2(Tokens.patient("lang-forbidden")).get("/api/v1/admin/events").then().statusCode(403)
                .body("type", endsWith("/forbidden")).body("title", equalTo("无权访问"));
        given().auth().oauth2(Tokens.patient("lang-missing")).get("/api/v1/bookings/" + UUID.randomUUID()).then().statusCode(404)
                .body("type", endsWith("/booking-not-found")).body("detail", equalTo("此账号下没有这个预约"));
    }

    @Test
    void hospitalsAndDepartmentsAreNamedInBothLanguages() {
        given().get("/api/v1/hospitals").then().statusCode(200).header("Vary", "Accept-Language")
                .body("find { it.code == 'BCH' }.name", equalTo("北京儿童医院"))
                .body("find { it.code == 'BCH' }.names.en", equalTo("Beijing Children's Hospital"))
                .body("find { it.code == 'BCH' }.departments.find { it.code == 'DERMATOLOGY' }.name", equalTo("皮肤科"))
                .body("find { it.code == 'CCMC' }.names.'zh-CN'", equalTo("首都儿科研究所附属儿童医院"));
        given().header("Accept-Language", "en").get("/api/v1/hospitals").then().statusCode(200)
                .body("find { it.code == 'BCH' }.name", equalTo("Beijing Children's Hospital"))
                .body("find { it.code == 'BCH' }.departments.find { it.code == 'GROWTH' }.name", equalTo("Growth & Development"))
                .body("find { it.code == 'BCH' }.departments.find { it.code == 'GROWTH' }.names.'zh-CN'", equalTo("生长发育科"));
    }

    private static RequestSpecification booking(String account, String slot, String patient, String acceptLanguage) {
        RequestSpecification request = given().auth().oauth2(Tokens.patient(account)).contentType(ContentType.JSON)
                .body(Map.of("slotId", slot, "patientId", patient));
        return acceptLanguage == null ? request : request.header("Accept-Language", acceptLanguage);
    }
}
