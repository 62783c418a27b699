package org.betaas.taas.vm.libvirt.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns a template's domain XML into the XML of one VM. Values are filled into the parsed document's attribute
 * values and texts, so the serializer escapes them: a value can never add markup. Values are also checked
 * (names, numbers, absolute paths) so that a wrong one fails clearly instead of producing an odd domain.
 */
final class DomainXml {

    /** Namespace of the BETaaS metadata element in a domain's {@code <metadata>}. */
    static final String NS = "urn:betaas:vm";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,12}");

    /**
     * What the driver records about a VM in its domain, to know it again after a restart.
     *
     * @param gateway the id of the gateway that made it ("" when unknown): gateways sharing one libvirtd each list
     *                only their own domains
     */
    record Metadata(String vmId, String template, String kind, Instant created, long diskMiB, String gateway) {
        Metadata {
            gateway = gateway == null ? "" : gateway;
        }

        Metadata(String vmId, String template, String kind, Instant created, long diskMiB) {
            this(vmId, template, kind, created, diskMiB, "");
        }

        /** Whether this domain belongs to another gateway than {@code gatewayId} (unknown owners belong to all). */
        boolean ownedByAnother(String gatewayId) {
            return !gateway.isEmpty() && gatewayId != null && !gatewayId.isEmpty() && !gateway.equals(gatewayId);
        }
    }

    private DomainXml() {
    }

    /**
     * @param template   the template's domain XML with {@code ${...}} placeholders
     * @param values     the placeholder values; every placeholder used must have one
     * @param domainType {@code kvm}, {@code qemu} or another type the hypervisor reports
     * @param tbCacheMiB under {@code qemu}, the TCG translation-block cache cap, 0 for QEMU's default
     */
    static String render(String template, Map<String, String> values, String domainType, int tbCacheMiB,
                         Metadata metadata) {
        return render(template, values, domainType, tbCacheMiB, metadata, null);
    }

    /** The fw_cfg entry under which a VM finds its application payload ({@code /sys/firmware/qemu_fw_cfg/by_name/...}). */
    static final String PAYLOAD_ENTRY = "opt/org.betaas/app.war";

    /**
     * As {@link #render(String, Map, String, int, Metadata)}, handing the guest the file {@code payload} (absolute
     * path, {@code null} for none) through QEMU's fw_cfg as {@link #PAYLOAD_ENTRY}.
     */
    static String render(String template, Map<String, String> values, String domainType, int tbCacheMiB,
                         Metadata metadata, String payload) {
        if (payload != null) {
            check("payload", payload);
        }
        values.forEach(DomainXml::check);
        check("type", domainType);
        Document doc = parse(template);
        Element domain = doc.getDocumentElement();
        if (!"domain".equals(domain.getTagName())) {
            throw new IllegalArgumentException("not a libvirt domain: root element is <" + domain.getTagName() + ">");
        }
        fill(domain, values);
        domain.setAttribute("type", domainType);
        if ("qemu".equals(domainType) && tbCacheMiB > 0) {
            Element features = child(doc, domain, "features");
            Element tcg = child(doc, features, "tcg");
            Element cache = child(doc, tcg, "tb-cache");
            cache.setAttribute("unit", "MiB");
            cache.setTextContent(Integer.toString(tbCacheMiB));
        }
        Element meta = child(doc, domain, "metadata");
        Element vm = doc.createElementNS(NS, "betaas:vm");
        vm.setAttribute("id", metadata.vmId());
        vm.setAttribute("template", metadata.template());
        vm.setAttribute("kind", metadata.kind());
        vm.setAttribute("created", metadata.created().toString());
        vm.setAttribute("diskMiB", Long.toString(metadata.diskMiB()));
        if (!metadata.gateway().isEmpty()) {
            vm.setAttribute("gateway", metadata.gateway());
        }
        meta.appendChild(vm);
        if (payload != null) {
            for (Node n = domain.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && "sysinfo".equals(e.getTagName()) && "fwcfg".equals(e.getAttribute("type"))) {
                    throw new IllegalArgumentException("the template already has a <sysinfo type='fwcfg'>: it cannot "
                            + "carry an application payload too");
                }
            }
            // an x86 guest finds the fw_cfg device only through ACPI (QEMU0002); aarch64 'virt' through its device tree
            String arch = values.getOrDefault("arch", "");
            if (arch.equals("x86_64") || arch.equals("i686")) {
                child(doc, child(doc, domain, "features"), "acpi");
            }
            Element sysinfo = doc.createElement("sysinfo");
            sysinfo.setAttribute("type", "fwcfg");
            Element entry = doc.createElement("entry");
            entry.setAttribute("name", PAYLOAD_ENTRY);
            entry.setAttribute("file", payload);
            sysinfo.appendChild(entry);
            domain.appendChild(sysinfo);
        }
        return serialize(doc);
    }

    /** Rejects values that are not what their placeholder stands for. */
    static void check(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("no value for ${" + key + "}");
        }
        boolean ok = switch (key) {
            case "name", "template", "kind", "arch", "type" -> NAME.matcher(value).matches();
            case "uuid" -> UUID.matcher(value).matches();
            case "vcpus", "memoryMiB" -> NUMBER.matcher(value).matches();
            case "image", "disk", "consoleLog", "payload" -> value.startsWith("/") && value.length() < 4096
                    && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f) && !value.contains("/../");
            default -> throw new IllegalArgumentException("unknown placeholder ${" + key + "}");
        };
        if (!ok) {
            throw new IllegalArgumentException("value of ${" + key + "} is not valid: '" + value
                    .replaceAll("\\p{Cntrl}", "?") + "'");
        }
    }

    private static void fill(Node node, Map<String, String> values) {
        NamedNodeMap attrs = node.getAttributes();
        if (attrs != null) {
            for (int i = 0; i < attrs.getLength(); i++) {
                Node a = attrs.item(i);
                a.setNodeValue(substitute(a.getNodeValue(), values));
            }
        }
        NodeList children = node.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node c = children.item(i);
            switch (c.getNodeType()) {
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> c.setNodeValue(substitute(c.getNodeValue(), values));
                case Node.ELEMENT_NODE -> fill(c, values);
                default -> { }
            }
        }
    }

    private static String substitute(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static Element child(Document doc, Element parent, String name) {
        NodeList list = parent.getElementsByTagName(name);
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i).getParentNode() == parent) {
                return (Element) list.item(i);
            }
        }
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }

    /** The BETaaS metadata of a domain's XML, empty for a domain BETaaS did not make. */
    static Optional<Metadata> metadata(String domainXml) {
        Document doc = parse(domainXml);
        NodeList list = doc.getElementsByTagNameNS(NS, "vm");
        if (list.getLength() == 0) {
            return Optional.empty();
        }
        Element vm = (Element) list.item(0);
        Instant created;
        try {
            created = Instant.parse(vm.getAttribute("created"));
        } catch (RuntimeException e) {
            created = Instant.EPOCH;
        }
        long disk;
        try {
            disk = Long.parseLong(vm.getAttribute("diskMiB"));
        } catch (NumberFormatException e) {
            disk = 0;
        }
        return Optional.of(new Metadata(vm.getAttribute("id"), vm.getAttribute("template"), vm.getAttribute("kind"),
                created, disk, vm.getAttribute("gateway")));
    }

    /** The files behind a domain's disks (device {@code disk}, source {@code file}), in document order. */
    static List<String> diskFiles(String domainXml) {
        List<String> files = new ArrayList<>();
        NodeList disks = parse(domainXml).getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            String device = disk.getAttribute("device");
            if (!device.isEmpty() && !"disk".equals(device)) {
                continue; // cdrom, floppy, lun
            }
            NodeList sources = disk.getElementsByTagName("source");
            if (sources.getLength() > 0) {
                String file = ((Element) sources.item(0)).getAttribute("file");
                if (!file.isEmpty()) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    /** A parser that refuses DOCTYPEs: no entity can be declared, expanded or fetched. */
    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler() {
                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("domain XML is not well-formed: " + e.getMessage(), e);
        }
    }

    private static String serialize(Document doc) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
