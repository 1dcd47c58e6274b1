package dev.scaler.redaction;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Prometheus at http://user:pw@prom:9090/x unreachable | Prometheus at http://***@prom:9090/x unreachable
            https://only-user@h and ssh://a:b@c                  | https://***@h and ssh://***@c
            http://u:p@ss@prom:9090/q?x=a@b                      | http://***@prom:9090/q?x=a@b
            https://u:p%40ss@prom.example:9443/base              | https://***@prom.example:9443/base
            jdbc:postgresql://db/scaler?user=s&password=hunter2&ssl=true | jdbc:postgresql://db/scaler?user=s&password=***&ssl=true
            jdbc:h2:file:./data/h;PASSWORD=x;AUTO_SERVER=FALSE    | jdbc:h2:file:./data/h;PASSWORD=***;AUTO_SERVER=FALSE
            https://prom/api?access_token=abc#top                | https://prom/api?access_token=***#top
            http://prom/?TOKEN=abc def                           | http://prom/?TOKEN=*** def
            jdbc:mysql://db/x?pwd=1&apiKey=2&api_key=3&secret=4  | jdbc:mysql://db/x?pwd=***&apiKey=***&api_key=***&secret=***
            mail me@example.org, path /a@b, host h:9090          | mail me@example.org, path /a@b, host h:9090
            sum(rate(x{token="a",password!=""}[1m]))              | sum(rate(x{token="a",password!=""}[1m]))
            http://prom:9090/api/v1/query?query=up&xpassword=1    | http://prom:9090/api/v1/query?query=up&xpassword=1
            """)
    void urlFormsAreHiddenAndNothingElse(String text, String shown) {
        assertThat(Redaction.URL_SECRETS.apply(text)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            admin:s3cret@prom:9090           | ***@prom:9090
            http://admin:s3 cret@prom:9090/x | http://***@prom:9090/x
            http://prom:9090/x?a=b@c         | http://prom:9090/x?a=b@c
            prom:9090?token=abc              | prom:9090?token=***
            not a url at all                 | not a url at all
            """)
    void aBadUrlValueHidesCredentialsItCannotBeParsedWith(String value, String shown) {
        assertThat(Redaction.urlValue(value)).isEqualTo(shown);
    }

    @Test
    void configuredSecretsAreHiddenWhereverTheyAppearTheLongestFirst() {
        Redaction r = Redaction.of(Arrays.asList("tok", "tok-longer", null, "", "tok"));
        assertThat(r.apply("secret tok-longer and tok")).isEqualTo("secret *** and ***");
        assertThat(r.apply("Prometheus at http://user:tok@prom:9090/x")).isEqualTo("Prometheus at http://***@prom:9090/x");
        assertThat(r.apply(null)).isNull();
        assertThat(Redaction.of(Arrays.asList(null, "")).apply("tok")).isEqualTo("tok");
    }
}
