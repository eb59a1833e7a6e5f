package dev.messenger.server.rest;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks real HTTP exchanges against the REST contract, {@code openapi.yaml} at the repository
 * root, with Atlassian's swagger-request-validator. Every check fails the test with the
 * validator's messages when the exchange does not conform.
 *
 * <ul>
 *   <li>{@link #assertResponse} - the response against the operation of the request's method and path;</li>
 *   <li>{@link #assertExchange} - the request (body, parameters, security) and the response;</li>
 *   <li>{@link #assertProblem} - for requests outside the contract (unknown path or method):
 *       the response is a {@code Problem} as defined by the contract.</li>
 * </ul>
 */
public final class OpenApiContract {
    /** The spec at the repository root; tests run with the module directory as working directory. */
    public static final Path SPEC = Path.of("../../openapi.yaml").toAbsolutePath().normalize();
    private static final String PROBLEM_PROBE_PATH = "/__contract-test__/problem";

    private static volatile OpenApiContract instance;

    private final OpenApiInteractionValidator validator;
    private final OpenApiInteractionValidator problemValidator;

    private OpenApiContract() {
        if (!Files.isRegularFile(SPEC)) {
            throw new IllegalStateException("openapi.yaml not found at " + SPEC);
        }
        String url = SPEC.toUri().toString();
        this.validator = OpenApiInteractionValidator.createForSpecificationUrl(url).build();
        this.problemValidator = OpenApiInteractionValidator.createFor(withProblemProbe(url)).build();
    }

    /** The shared instance (parsing the spec takes a moment). */
    public static OpenApiContract get() {
        OpenApiContract current = instance;
        if (current == null) {
            synchronized (OpenApiContract.class) {
                current = instance;
                if (current == null) {
                    current = new OpenApiContract();
                    instance = current;
                }
            }
        }
        return current;
    }

    /** Validates only the response, against the operation matching the request's method and path. */
    public ValidationReport validateResponse(HttpResponse<String> response) {
        HttpRequest request = response.request();
        return validator.validateResponse(request.uri().getPath(), Request.Method.valueOf(request.method()), toResponse(response));
    }

    /** Validates a response given by its parts (for responses not obtained through java.net.http). */
    public ValidationReport validateResponse(String method, String path, int status, String contentType, String body) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(status);
        if (contentType != null) {
            builder.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            builder.withBody(body);
        }
        return validator.validateResponse(path, Request.Method.valueOf(method), builder.build());
    }

    /** Validates the request that was sent (with its body, may be null) and the response to it. */
    public ValidationReport validateExchange(HttpResponse<String> response, String requestBody) {
        return validator.validate(toRequest(response.request(), requestBody), toResponse(response));
    }

    /** Fails the test unless the response conforms to the contract. Returns the response for chaining. */
    public HttpResponse<String> assertResponse(HttpResponse<String> response) {
        failOnErrors(validateResponse(response), response, "response");
        return response;
    }

    /** Fails the test unless both the request sent and the response conform to the contract. */
    public HttpResponse<String> assertExchange(HttpResponse<String> response, String requestBody) {
        failOnErrors(validateExchange(response, requestBody), response, "exchange");
        return response;
    }

    /**
     * For responses to requests the contract does not describe (unknown path or method): fails the
     * test unless the response is an {@code application/problem+json} body matching the contract's
     * {@code Problem} schema.
     */
    public HttpResponse<String> assertProblem(HttpResponse<String> response) {
        ValidationReport report = problemValidator.validateResponse(PROBLEM_PROBE_PATH, Request.Method.GET, toResponse(response));
        failOnErrors(report, response, "problem");
        return response;
    }

    private static void failOnErrors(ValidationReport report, HttpResponse<String> response, String what) {
        if (report.hasErrors()) {
            fail("OpenAPI contract violation (" + what + ") for " + response.request().method() + " " + response.request().uri()
                    + " -> " + response.statusCode() + " " + response.headers().firstValue("content-type").orElse("")
                    + " " + abbreviate(response.body()) + "\n" + SimpleValidationReportFormat.getInstance().apply(report));
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }

    private static SimpleResponse toResponse(HttpResponse<String> response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                builder.withHeader(name, values);
            }
        });
        String body = response.body();
        if (body != null && !body.isEmpty()) {
            builder.withBody(body);
        }
        return builder.build();
    }

    private static SimpleRequest toRequest(HttpRequest request, String body) {
        URI uri = request.uri();
        SimpleRequest.Builder builder = new SimpleRequest.Builder(request.method(), uri.getPath());
        request.headers().map().forEach(builder::withHeader);
        String rawQuery = uri.getRawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                builder.withQueryParam(name, value);
            }
        }
        if (body != null && !body.isEmpty()) {
            builder.withBody(body);
        }
        return builder.build();
    }

    /** The contract plus one synthetic operation whose every response is a Problem, for checking bodies of unknown routes. */
    private static OpenAPI withProblemProbe(String url) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI api = new OpenAPIV3Parser().read(url, null, options);
        if (api == null || api.getComponents() == null
                || Optional.ofNullable(api.getComponents().getSchemas()).map(s -> s.get("Problem")).isEmpty()) {
            throw new IllegalStateException("openapi.yaml has no components.schemas.Problem");
        }
        ApiResponse problem = new ApiResponse()
                .description("Any problem")
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
        Operation probe = new Operation().operationId("contractTestProblemProbe")
                .responses(new ApiResponses()._default(problem));
        probe.setSecurity(List.of());
        api.path(PROBLEM_PROBE_PATH, new PathItem().get(probe));
        return api;
    }

    @Override
    public String toString() {
        return "OpenApiContract[" + SPEC + "]";
    }
}
