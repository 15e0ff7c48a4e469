package io.firstvisit.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Times keep the offset they were written with. Without this Jackson moves every OffsetDateTime it
 * reads (request bodies, slot views cached in Redis) to UTC, and parents would see "01:00Z" for a
 * 09:00 Beijing appointment.
 */
@Singleton
public class JsonSetup implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }
}
