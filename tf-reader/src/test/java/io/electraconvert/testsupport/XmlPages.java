package io.electraconvert.testsupport;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Pages the project writes as well-formed XML (verify's HTML report is XHTML-compatible), read back with the JDK's
 * own XML parser: a page that is not well-formed fails the parse, and tests look elements up by name and class.
 */
public final class XmlPages {
    private XmlPages() {}

    /** Parses {@code page} strictly (namespace-aware, no external entities); any well-formedness error throws. */
    public static Document parse(String page) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(new DefaultHandler() {
            @Override
            public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
                throw e;
            }
        });
        return builder.parse(new InputSource(new StringReader(page)));
    }

    /** The elements under {@code root} named {@code localName} (any namespace; "*": any name) with the class token. */
    public static List<Element> elements(Node root, String localName, String classToken) {
        NodeList all = root instanceof Document d ? d.getElementsByTagNameNS("*", localName)
                : ((Element) root).getElementsByTagNameNS("*", localName);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (classToken == null || Arrays.asList(e.getAttribute("class").split(" ")).contains(classToken)) {
                found.add(e);
            }
        }
        return found;
    }

    /** The one element named {@code localName} with the class token; fails when there are none or several. */
    public static Element only(Node root, String localName, String classToken) {
        List<Element> found = elements(root, localName, classToken);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " <" + localName + " class=\"" + classToken + "\"> elements, expected 1");
        }
        return found.get(0);
    }

    /** A numeric attribute ({@code cx}, {@code data-max-abs-diff}, ...). */
    public static double number(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }
}
