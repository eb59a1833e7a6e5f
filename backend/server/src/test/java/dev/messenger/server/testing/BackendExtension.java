package dev.messenger.server.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the {@link TestBackend}, started once per test run (kept in JUnit's root store,
 * closed when the run ends). Use with {@code @ExtendWith(BackendExtension.class)} and a
 * {@code TestBackend} parameter on a {@code @BeforeAll}, constructor or test method.
 */
public final class BackendExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BackendExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestBackend.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("backend", key -> new Resource(TestBackend.start()), Resource.class)
                .backend();
    }

    private record Resource(TestBackend backend) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            backend.close();
        }
    }
}
