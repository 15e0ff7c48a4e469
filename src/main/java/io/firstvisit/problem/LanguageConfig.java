package io.firstvisit.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Which language answers a request that asks for none we have (README, "Languages"). */
@ConfigMapping(prefix = "firstvisit.language")
public interface LanguageConfig {

    /** zh-CN (the pilot's parents) or en. */
    @WithName("default")
    @WithDefault("zh-CN")
    String defaultTag();
}
