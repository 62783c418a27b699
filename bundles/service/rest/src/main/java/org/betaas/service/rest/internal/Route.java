package org.betaas.service.rest.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One endpoint: method, path template ({@code /things/{id}}) and handler, with what the OpenAPI document says
 * about it.
 *
 * @param method      HTTP method
 * @param template    path template after {@code /betaas/api/v1}; {@code {name}} is one path segment
 * @param summary     one line for the OpenAPI document
 * @param queryParams query parameters: name → description (required when the description starts with "required")
 * @param requestBody description of the JSON body, empty when none
 * @param statuses    the statuses it answers with → description
 * @param handler     what it does
 * @param access      who may call it
 */
record Route(String method, String template, String summary, Map<String, String> queryParams, String requestBody,
             Map<Integer, String> statuses, Handler handler, Access access) {

    /** Handles a matched request; throws {@link ApiException} for error answers. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request, Map<String, String> pathParams) throws Exception;
    }

    /** Who may call an endpoint. */
    enum Access {
        /** A Karaf user with the API's role, by HTTP Basic (JAAS); an app token is refused. */
        ADMIN,
        /** An installed application, by its token ({@code Authorization: Bearer}); user credentials are refused. */
        APP
    }

    Route {
        queryParams = Map.copyOf(queryParams);
        statuses = Map.copyOf(statuses);
    }

    Route(String method, String template, String summary, Map<String, String> queryParams, String requestBody,
          Map<Integer, String> statuses, Handler handler) {
        this(method, template, summary, queryParams, requestBody, statuses, handler, Access.ADMIN);
    }

    List<String> templateSegments() {
        return Arrays.stream(template.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The names of the {@code {name}} segments, in order. */
    List<String> pathParams() {
        List<String> names = new ArrayList<>();
        for (String s : templateSegments()) {
            if (s.startsWith("{") && s.endsWith("}")) {
                names.add(s.substring(1, s.length() - 1));
            }
        }
        return names;
    }
}
