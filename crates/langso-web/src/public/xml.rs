//! Writing the public XML documents (Open311 replies, Atom feeds) with quick-xml's writer.
//!
//! Every text and attribute value passes [`xml_safe`] before the writer escapes it: escaping
//! turns `<` and `&` into entities, but a character XML 1.0 forbids (a vertical tab pasted
//! into a fault report) stays forbidden as an entity and makes the whole document unreadable.
//! Doing both here, once, means no caller can forget either.

use std::io;

use langso_domain::public_text::xml_safe;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML document being written, declaration first.
pub(crate) struct XmlDoc {
    writer: Writer<Vec<u8>>,
}

impl XmlDoc {
    /// A document with its `<?xml version="1.0" encoding="utf-8"?>` declaration.
    pub(crate) fn new() -> io::Result<Self> {
        let mut writer = Writer::new(Vec::with_capacity(4096));
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        writer.write_event(Event::Text(BytesText::from_escaped("\n")))?;
        Ok(XmlDoc { writer })
    }

    fn start_tag<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut tag = BytesStart::new(name);
        for (key, value) in attributes {
            tag.push_attribute((*key, xml_safe(value).as_ref()));
        }
        tag
    }

    /// Opens `<name attributes…>`.
    pub(crate) fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Start(Self::start_tag(name, attributes)))
    }

    /// Closes `</name>`.
    pub(crate) fn close(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>text</name>`, the text made safe and escaped (`<name></name>` when empty).
    pub(crate) fn text(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.open(name, &[])?;
        self.writer
            .write_event(Event::Text(BytesText::new(&xml_safe(text))))?;
        self.close(name)
    }

    /// Text inside the element now open, made safe and escaped.
    pub(crate) fn text_only(&mut self, text: &str) -> io::Result<()> {
        self.writer
            .write_event(Event::Text(BytesText::new(&xml_safe(text))))
    }

    /// `<name attributes…/>`.
    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer
            .write_event(Event::Empty(Self::start_tag(name, attributes)))
    }

    /// A line break between elements, for people reading the source.
    pub(crate) fn newline(&mut self) -> io::Result<()> {
        self.writer
            .write_event(Event::Text(BytesText::from_escaped("\n")))
    }

    /// The document's text. The writer only ever received UTF-8, so this cannot fail; were it
    /// to, the bytes are replaced rather than the document lost.
    pub(crate) fn finish(self) -> String {
        match String::from_utf8(self.writer.into_inner()) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_made_safe() -> io::Result<()> {
        let mut doc = XmlDoc::new()?;
        doc.open("root", &[("href", "/a?b=1&c=\"2\"\u{b}")])?;
        doc.text("t", "<b>Đèn</b> & \u{b}\u{0}\u{FFFE}")?;
        doc.empty("e", &[("term", "x<y")])?;
        doc.close("root")?;
        let xml = doc.finish();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<root href=\"/a?b=1&amp;c=&quot;2&quot; \">\
             <t>&lt;b&gt;Đèn&lt;/b&gt; &amp;   \u{FFFD}</t><e term=\"x&lt;y\"/></root>"
        );
        Ok(())
    }
}
