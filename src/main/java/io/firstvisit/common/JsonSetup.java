package io.firstvisit.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * How request bodies are read: strictly. A parent's app that sends {@code "capacity":"20"} or a second
 * {@code slotId} has a bug, and guessing what it meant (Jackson's default) hides it; a 400 that names
 * the field shows it.
 */
@Singleton
public class JsonSetup implements ObjectMapperCustomizer {

    /** After Quarkus' own customizers: its JavaTimeModule would otherwise replace the strict date reader below. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        // Times keep the offset they were written with; otherwise Jackson moves every OffsetDateTime it
        // reads (bodies, slot views cached in Redis) to UTC and a 09:00 Beijing slot reads "01:00Z".
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        // {"slotId":"a","slotId":"b"} and {...} trailing-garbage are malformed, not "the last one wins".
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // No silent conversions between JSON types: "20" is not 20, 1.5 is not 1, 0 is not FEMALE.
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        // A date is "YYYY-MM-DD" and nothing else: not 17532 (days since 1970), not [2018,1,1], not a timestamp
        // whose time and zone would be dropped without a word.
        mapper.registerModule(new SimpleModule("strict-dates")
                .addDeserializer(LocalDate.class, new StrictDate()));
    }

    /** Reads only a JSON string of exactly {@code YYYY-MM-DD}, a real calendar date. */
    static final class StrictDate extends StdScalarDeserializer<LocalDate> {

        private static final Pattern SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

        StrictDate() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                String text = parser.getText();
                if (SHAPE.matcher(text).matches()) {
                    try {
                        return LocalDate.parse(text);
                    } catch (DateTimeParseException e) {
                        return (LocalDate) context.handleWeirdStringValue(LocalDate.class, text, "not a calendar date");
                    }
                }
                return (LocalDate) context.handleWeirdStringValue(LocalDate.class, text, "expected YYYY-MM-DD");
            }
            return (LocalDate) context.handleUnexpectedToken(LocalDate.class, parser);
        }
    }
}
