package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapscope.agent.protocol.Protocol;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void defaultsAreBothTiersOnStderr() {
        Options o = Options.parse(null);
        assertThat(o.sharing).isTrue();
        assertThat(o.stderr).isTrue();
        assertThat(o.haltOnRace).isFalse();
        assertThat(o.report).isNull();
        assertThat(o.session).isNull();
        assertThat(o.mode()).isEqualTo("full");
    }

    @Test
    void allKeys() {
        Options o = Options.parse("report=out.jsonl, halt-on-race=true,mode=overlap,stderr=false,session=/tmp/s");
        assertThat(o.report.toString()).endsWith("out.jsonl");
        assertThat(o.haltOnRace).isTrue();
        assertThat(o.sharing).isFalse();
        assertThat(o.stderr).isFalse();
        assertThat(o.session.toString()).isEqualTo("/tmp/s");
    }

    @Test
    void profileOptions() {
        Options o = Options.parse("profile=prof, profile-sample=8,profile-window=250");
        assertThat(o.profile.toString()).endsWith("prof");
        assertThat(o.profileSample).isEqualTo(8);
        assertThat(o.profileWindowMicros).isEqualTo(250);
        Options d = Options.parse(null);
        assertThat(d.profile).isNull();
        assertThat(d.profileSample).isEqualTo(Protocol.DEFAULT_PROFILE_SAMPLE);
        assertThat(d.profileWindowMicros).isEqualTo(Protocol.DEFAULT_PROFILE_WINDOW_MICROS);
        assertThatThrownBy(() -> Options.parse("profile-sample=0"))
                .hasMessage("option profile-sample must be a whole number from 1 to 1000000, not '0'");
        assertThatThrownBy(() -> Options.parse("profile-window=soon"))
                .hasMessage("option profile-window must be a whole number from 0 to 60000000, not 'soon'");
        assertThatThrownBy(() -> Options.parse("profile="))
                .hasMessage("option profile needs a path, got an empty value");
    }

    @Test
    void badOptionsAreOneSentenceNamingTheOption() {
        assertThatThrownBy(() -> Options.parse("colour=red"))
                .hasMessage("unknown option 'colour' (known keys: " + Options.KNOWN + ")");
        assertThatThrownBy(() -> Options.parse("mode=fast"))
                .hasMessage("option mode must be full or overlap, not 'fast'");
        assertThatThrownBy(() -> Options.parse("stderr=yes"))
                .hasMessage("option stderr must be true or false, not 'yes'");
        assertThatThrownBy(() -> Options.parse("report=")).hasMessage("option report needs a path, got an empty value");
        assertThatThrownBy(() -> Options.parse("halt")).hasMessageStartingWith("option 'halt' is not key=value");
    }
}
