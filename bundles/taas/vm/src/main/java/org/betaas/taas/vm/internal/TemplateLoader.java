package org.betaas.taas.vm.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;
import org.w3c.dom.Document;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads the VM templates of a folder: every {@code *.properties} file is one template descriptor, naming the
 * libvirt domain XML of each architecture ({@code domain.<arch> = domains/x.xml}). A bad file yields one problem
 * message naming the file and what is wrong; the other files still load.
 */
final class TemplateLoader {

    /** Names that may appear in domain XML and become libvirt domain names: no markup, no path characters. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final Set<String> ARCHITECTURES = Set.of("x86_64", "aarch64");
    /** The placeholders a domain XML may use; the libvirt driver fills them in (see vm-templates/README.md). */
    static final Set<String> PLACEHOLDERS = Set.of("name", "uuid", "template", "kind", "vcpus", "memoryMiB",
            "image", "disk", "consoleLog", "arch");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> KEYS = Set.of("name", "kind", "vcpus", "memoryMiB", "diskMiB",
            "architectures", "image", "weight");

    /** A template with its domain XML per architecture (placeholders not filled in). */
    record Loaded(VmTemplate template, Map<String, String> domainXml, Path file) {
    }

    /** Everything one folder holds. */
    record Result(Map<String, Loaded> templates, List<String> problems) {
    }

    private TemplateLoader() {
    }

    static Result load(Path folder) {
        Map<String, Loaded> templates = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            problems.add("Template folder " + folder + " does not exist: create it or set folder in "
                    + "etc/org.betaas.vm.templates.cfg");
            return new Result(templates, problems);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".properties")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            problems.add("Template folder " + folder + " cannot be read: " + e.getMessage());
            return new Result(templates, problems);
        }
        for (Path file : files) {
            try {
                Loaded loaded = loadOne(folder, file);
                Loaded earlier = templates.putIfAbsent(loaded.template().name(), loaded);
                if (earlier != null) {
                    throw new TemplateException("template name '" + loaded.template().name()
                            + "' is already used by " + earlier.file().getFileName() + ": rename one of them");
                }
            } catch (TemplateException e) {
                problems.add(file.getFileName() + ": " + e.getMessage());
            }
        }
        return new Result(templates, problems);
    }

    static Loaded loadOne(Path folder, Path file) throws TemplateException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new TemplateException("cannot be read: " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key) && !key.startsWith("domain.")) {
                throw new TemplateException("unknown key '" + key + "' (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ", domain.<arch>)");
            }
        }
        String name = required(p, "name");
        if (!NAME.matcher(name).matches()) {
            throw new TemplateException("name '" + name + "' is not valid: use 1-63 lower-case letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
        VmKind kind = kind(required(p, "kind"));
        int vcpus = (int) number(p, "vcpus", 1, 256);
        long memoryMiB = number(p, "memoryMiB", 16, 16L * 1024 * 1024);
        long diskMiB = number(p, "diskMiB", 0, 1L << 40);
        Set<String> architectures = new LinkedHashSet<>();
        for (String a : required(p, "architectures").split("[,\\s]+")) {
            if (!ARCHITECTURES.contains(a)) {
                throw new TemplateException("architecture '" + a + "' is not supported: use x86_64 and/or aarch64");
            }
            architectures.add(a);
        }
        String image = required(p, "image");
        if (image.chars().anyMatch(c -> c < 0x20) || image.contains("..")) {
            throw new TemplateException("image '" + image + "' must be one line without '..'");
        }
        VmWeight weight;
        try {
            weight = VmWeight.valueOf(required(p, "weight").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TemplateException("weight '" + p.getProperty("weight").trim() + "' is not valid: use light or heavy");
        }
        Map<String, String> domains = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("domain.")) {
                String arch = key.substring("domain.".length());
                if (!architectures.contains(arch)) {
                    throw new TemplateException(key + " names an architecture that is not in architectures ("
                            + String.join(", ", architectures) + ")");
                }
                domains.put(arch, domainXml(folder, p.getProperty(key).trim(), key));
            }
        }
        return new Loaded(new VmTemplate(name, kind, vcpus, memoryMiB, diskMiB, architectures, image, weight),
                Map.copyOf(domains), file);
    }

    private static VmKind kind(String value) throws TemplateException {
        try {
            return VmKind.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new TemplateException("kind '" + value + "' is not valid: use one of service, gateway, "
                    + "bigdata-storage, bigdata-compute");
        }
    }

    private static String required(Properties p, String key) throws TemplateException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new TemplateException("missing '" + key + "'");
        }
        return v.trim();
    }

    private static long number(Properties p, String key, long min, long max) throws TemplateException {
        String v = required(p, key);
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new TemplateException(key + " = " + v + " is out of range [" + min + ", " + max + "]");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new TemplateException(key + " = '" + v + "' is not a whole number");
        }
    }

    /** Reads a domain XML next to the descriptors and checks it is well-formed and uses known placeholders only. */
    static String domainXml(Path folder, String relative, String key) throws TemplateException {
        Path base = folder.toAbsolutePath().normalize();
        Path file = base.resolve(relative).normalize();
        if (!file.startsWith(base)) {
            throw new TemplateException(key + " = " + relative + " points outside the template folder");
        }
        String xml;
        try {
            xml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateException(key + " = " + relative + " cannot be read (" + e.getClass().getSimpleName()
                    + "): add the file or fix the path");
        }
        Document doc;
        try {
            doc = parse(xml);
        } catch (SAXException | IOException e) {
            throw new TemplateException(relative + " is not well-formed XML: " + e.getMessage());
        }
        if (!"domain".equals(doc.getDocumentElement().getTagName())) {
            throw new TemplateException(relative + " is not a libvirt domain: its root element must be <domain>");
        }
        Set<String> unknown = new LinkedHashSet<>();
        visitValues(doc.getDocumentElement(), value -> {
            Matcher m = PLACEHOLDER.matcher(value);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    unknown.add(m.group(1));
                }
            }
        });
        if (!unknown.isEmpty()) {
            throw new TemplateException(relative + " uses unknown placeholders " + unknown + " (known: "
                    + PLACEHOLDERS.stream().sorted().toList() + ")");
        }
        return xml;
    }

    /** A parser that refuses DOCTYPEs, so no entity can be declared or fetched. */
    static Document parse(String xml) throws SAXException, IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls back with every attribute value and text of an element tree (not comments). */
    static void visitValues(Node node, java.util.function.Consumer<String> visitor) {
        NamedNodeMap attrs = node.getAttributes();
        if (attrs != null) {
            for (int i = 0; i < attrs.getLength(); i++) {
                visitor.accept(attrs.item(i).getNodeValue());
            }
        }
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node c = children.item(i);
            if (c.getNodeType() == Node.TEXT_NODE || c.getNodeType() == Node.CDATA_SECTION_NODE) {
                visitor.accept(c.getNodeValue());
            } else if (c.getNodeType() == Node.ELEMENT_NODE) {
                visitValues(c, visitor);
            }
        }
    }

    /** Why one template file cannot be loaded. */
    static final class TemplateException extends Exception {
        private static final long serialVersionUID = 1L;

        TemplateException(String message) {
            super(message);
        }
    }
}
