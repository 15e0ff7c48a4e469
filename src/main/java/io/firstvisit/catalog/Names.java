package io.firstvisit.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.firstvisit.problem.Language;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A name in each language FirstVisit answers in. */
@RegisterForReflection
public record Names(@JsonProperty("zh-CN") String zhCn, @JsonProperty("en") String en) {

    public String in(Language language) {
        return language == Language.ZH_CN ? zhCn : en;
    }
}
