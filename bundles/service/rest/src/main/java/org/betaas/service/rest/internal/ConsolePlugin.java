package org.betaas.service.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;

/**
 * The BETaaS tab of the Felix web console (http://host:8181/system/console/betaas), as a plain servlet service
 * with {@code felix.webconsole.label}: no web console API import, so this bundle also runs where the console is
 * not installed. The page is static; its script calls the REST API ({@code /betaas/api/v1}) with fetch(): this
 * gateway (/gateway), the instance's gateways with resources, headroom, trust and online state (/instance,
 * /gateways), Holt forecast charts with their prediction band (/resources/forecast), things with their last values
 * (/things), VMs with their actions and the placement dialog that explains before deploying (/vms,
 * /placement/explain), applications (/apps), incidents (/incidents) and the remote cloud form with a write-only
 * password (/cloud). A panel whose service or endpoint is missing says "Not available" and the rest still works.
 * Scripts, styles and Chart.js (from its WebJar, embedded: no CDN) are served from {@code /system/console/betaas/res/}.
 */
@Component(service = Servlet.class, property = {
    ConsolePlugin.LABEL_PROPERTY + "=" + ConsolePlugin.LABEL,
    "felix.webconsole.title=BETaaS",
    "felix.webconsole.category=BETaaS",
    "felix.webconsole.css=/" + ConsolePlugin.LABEL + "/res/betaas.css",
    "service.description=BETaaS web console tab"
})
public final class ConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String LABEL_PROPERTY = "felix.webconsole.label";
    static final String LABEL = "betaas";
    private static final String RES = "/" + LABEL + "/res/";

    /** Served resource name → path inside this bundle. */
    static final Map<String, String> RESOURCES = Map.of(
            "betaas.js", "org/betaas/service/rest/internal/console/betaas.js",
            "betaas.css", "org/betaas/service/rest/internal/console/betaas.css",
            "chart.umd.min.js", "webjars/chart.js/dist/chart.umd.min.js",
            "chart.js-LICENSE.md", "webjars/chart.js/LICENSE.md");

    private static final String CONTENT = "org/betaas/service/rest/internal/console/content.html";

    /** The page inside the console's frame (the console adds its header, menu and footer around it). */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        response.setContentType("text/html; charset=UTF-8");
        Object appRoot = request.getAttribute("felix.webconsole.appRoot");
        String page = read(CONTENT)
                .replace("${appRoot}", appRoot != null ? appRoot.toString()
                        : request.getContextPath() + request.getServletPath())
                .replace("${api}", BetaasApi.BASE);
        response.getWriter().write(page);
    }

    /**
     * Called by the web console (by reflection, as for its own plugins) for {@code /betaas/res/*}: the URL of the
     * resource, or null when there is none.
     */
    public URL getResource(String path) {
        if (path == null || !path.startsWith(RES)) {
            return null;
        }
        String inside = RESOURCES.get(path.substring(RES.length()));
        return inside == null ? null : ConsolePlugin.class.getClassLoader().getResource(inside);
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = ConsolePlugin.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Missing " + resource + " in the BETaaS REST bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
