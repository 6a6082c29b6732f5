package dev.dockerproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestCanonicalizerTest {

    @ParameterizedTest(name = "{0} -> version={1} path={2} query={3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "/containers/json | null | /containers/json | null",
                "/v1.41/containers/json | 1.41 | /containers/json | null",
                "/v1.41/containers/json?all=1&filters=%7B%22status%22%3A%5B%22running%22%5D%7D | 1.41 | /containers/json | all=1&filters=%7B%22status%22%3A%5B%22running%22%5D%7D",
                "/_ping | null | /_ping | null",
                "/v1.24/_ping | 1.24 | /_ping | null",
                "/images/library/nginx:1.25/json | null | /images/library/nginx:1.25/json | null",
                "/images/registry.example:5000/team/app@sha256:abc/json | null | /images/registry.example:5000/team/app@sha256:abc/json | null",
                "/containers/%61bc/json | null | /containers/abc/json | null",
                "/containers/%6A%73%6F%6E | null | /containers/json | null",
                "/networks/ | null | /networks/ | null",
                "/v1.41 | 1.41 | / | null",
                "/ | null | / | null",
                "/v1.41x/containers/json | null | /v1.41x/containers/json | null",
                "/containers/json? | null | /containers/json | ''",
            })
    void acceptsAndDecodesOnce(String target, String version, String path, String query)
            throws Exception {
        CanonicalRequest r = RequestCanonicalizer.canonicalize("GET", target);
        assertThat(r.apiVersion()).isEqualTo(version);
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.query()).isEqualTo(query);
        assertThat(r.rawTarget()).isEqualTo(target);
    }

    @Test
    void forwardTargetIsTheDecodedPathWithPrefixAndRawQuery() throws Exception {
        CanonicalRequest r =
                RequestCanonicalizer.canonicalize(
                        "GET", "/v1.41/containers/%61bc/logs?follow=1&tail=%31");
        assertThat(r.forwardTarget()).isEqualTo("/v1.41/containers/abc/logs?follow=1&tail=%31");
        assertThat(RequestCanonicalizer.canonicalize("GET", "/_ping").forwardTarget())
                .isEqualTo("/_ping");
    }

    @ParameterizedTest(name = "{0} is forwarded as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/_ping | /_ping",
                "/v1.41/_ping | /v1.41/_ping",
                "/v1.41/containers/json?all=1 | /v1.41/containers/json?all=1",
                "/containers/json? | /containers/json?",
                "/v1.41/containers/%61bc/json | /v1.41/containers/abc/json",
                "/v1.41/containers/%61bc/json?x=%61 | /v1.41/containers/abc/json?x=%61",
                "/containers/a%62c/json | /containers/abc/json",
            })
    void forwardTargetIsTheRawTargetItselfOnlyWhenThatIsAlreadyCanonical(
            String target, String expected) throws Exception {
        CanonicalRequest r = RequestCanonicalizer.canonicalize("GET", target);
        String forwarded = r.forwardTarget();
        assertThat(forwarded)
                .isEqualTo(expected)
                .isEqualTo(
                        r.query() == null
                                ? r.versionedPath()
                                : r.versionedPath() + "?" + r.query());
        if (target.equals(expected)) {
            assertThat(forwarded).isSameAs(r.rawTarget());
        }
    }

    @ParameterizedTest(name = "refuses {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // encoded separators
                "/containers/a%2Fb/json | encoded '/'",
                "/containers/a%2fb/json | encoded '/'",
                "/containers/a%5Cb/json | encoded backslash",
                "/containers/a\\b/json | backslash",
                // dot segments, raw and encoded
                "/containers/../exec/x/start | dot segment",
                "/containers/./json | dot segment",
                "/containers/%2e%2e/exec/x/start | dot segment",
                "/containers/%2E/json | dot segment",
                "/v1.41/.. | dot segment",
                "/.. | dot segment",
                // double encoding
                "/containers/%252e%252e/json | double encoding",
                "/containers/%252F/json | double encoding",
                // empty segments
                "//containers/json | empty path segment",
                "/containers//json | empty path segment",
                "/v1.41//containers/json | empty path segment",
                // malformed escapes
                "/containers/%zz/json | malformed percent-encoding",
                "/containers/%4/json | malformed percent-encoding",
                "/containers/json% | malformed percent-encoding",
                "/containers/json?a=%g1 | malformed percent-encoding in query",
                // control characters, NUL, non-ASCII
                "/containers/%00/json | control character",
                "/containers/%0d%0aX:1/json | control character",
                "/containers/%7f/json | control character",
                "/containers/%C3%A9/json | non-ASCII",
                // characters that need encoding or are ambiguous
                "/containers/json;x=1 | ';' path parameters",
                "/containers/a%3Bb/json | encoded ';'",
                "/containers/a%3Fb/json | encoded '?'",
                "/containers/a%23b/json | encoded '#'",
                "/containers/a%20b/json | encoded space",
                "/containers/json#frag | '#'",
                "/containers/json?x#frag | fragment",
                // target forms
                "http://docker/containers/json | absolute-form",
                "HTTP://docker/v1.41/_ping | absolute-form",
                "docker:2375 | absolute-form",
                "* | asterisk-form",
                // version prefixes
                "/v1/containers/json | API version prefix",
                "/v1./containers/json | API version prefix",
                "/v.41/containers/json | API version prefix",
                "/v1..41/containers/json | API version prefix",
                "/v1.4.1/containers/json | API version prefix",
                "/v01.41/containers/json | leading zeros",
                "/v1.041/containers/json | leading zeros",
                "/v2.0/containers/json | major version",
                "/v1.99999999999/containers/json | out of range",
            })
    void refusesAmbiguousTargets(String target, String reasonFragment) {
        assertThatThrownBy(() -> RequestCanonicalizer.canonicalize("GET", target))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining(reasonFragment.isEmpty() ? "" : reasonFragment);
    }

    @Test
    void encodedVersionDigitsAreNotAVersionPrefix() throws Exception {
        // The daemon decodes first: /v%31.41 becomes /v1.41. Both forms must mean the same thing,
        // so the decoded form is used for the prefix too.
        CanonicalRequest r = RequestCanonicalizer.canonicalize("GET", "/v%31.41/containers/json");
        assertThat(r.apiVersion()).isEqualTo("1.41");
        assertThat(r.path()).isEqualTo("/containers/json");
        assertThat(r.forwardTarget()).isEqualTo("/v1.41/containers/json");
    }

    @Test
    void upperCasePathIsKeptAsIsForTheCatalogToReject() throws Exception {
        CanonicalRequest r = RequestCanonicalizer.canonicalize("GET", "/CONTAINERS/json");
        assertThat(r.path()).isEqualTo("/CONTAINERS/json");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "get",
                "Get",
                "POST ",
                "G ET",
                "GE\u0000T",
                "",
                "VERYLONGMETHODNAMEXX",
                "GET\r\n"
            })
    void refusesMethodsThatAreNotUpperCaseTokens(String method) {
        assertThatThrownBy(() -> RequestCanonicalizer.canonicalize(method, "/_ping"))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageNotContaining("\r")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesOverlongTargets() {
        String longTarget =
                "/containers/" + "a".repeat(RequestCanonicalizer.MAX_TARGET_LENGTH) + "/json";
        assertThatThrownBy(() -> RequestCanonicalizer.canonicalize("GET", longTarget))
                .hasMessageContaining("longer than");
    }

    @Test
    void trailingSlashIsKeptSoTheCatalogDecides() throws Exception {
        assertThat(RequestCanonicalizer.canonicalize("GET", "/containers/json/").path())
                .isEqualTo("/containers/json/");
    }

    @Test
    void refusalMessagesNeverEchoControlBytes() {
        assertThatThrownBy(() -> RequestCanonicalizer.canonicalize("GET", "/a\r\nInjected: 1"))
                .hasMessageNotContaining("\r")
                .hasMessageNotContaining("\n");
    }
}
