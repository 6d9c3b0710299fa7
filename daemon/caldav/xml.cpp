#include "caldav/xml.h"
#include "base/text.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <memory>

namespace plancal::caldav::xml {

namespace {

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

std::string as_string(const xmlChar* text) {
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
}

Node convert(const xmlNode* element) {
  Node node;
  node.ns = element->ns != nullptr ? as_string(element->ns->href) : std::string();
  node.local = as_string(element->name);
  for (const xmlAttr* attr = element->properties; attr != nullptr; attr = attr->next) {
    std::string value;
    for (const xmlNode* part = attr->children; part != nullptr; part = part->next) {
      value += as_string(part->content);
    }
    node.attributes.emplace_back(as_string(attr->name), std::move(value));
  }
  for (const xmlNode* child = element->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      node.children.push_back(convert(child));
    } else if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      node.text += as_string(child->content);
    }
  }
  return node;
}

}  // namespace

const Node* Node::child(std::string_view ns_uri, std::string_view local_name) const {
  for (const auto& c : children) {
    if (c.is(ns_uri, local_name)) return &c;
  }
  return nullptr;
}

std::vector<const Node*> Node::children_named(std::string_view ns_uri,
                                              std::string_view local_name) const {
  std::vector<const Node*> found;
  for (const auto& c : children) {
    if (c.is(ns_uri, local_name)) found.push_back(&c);
  }
  return found;
}

std::string_view Node::attribute(std::string_view local_name) const {
  for (const auto& [name, value] : attributes) {
    if (name == local_name) return value;
  }
  return {};
}

std::string Node::child_text(std::string_view ns_uri, std::string_view local_name) const {
  const Node* c = child(ns_uri, local_name);
  return c == nullptr ? std::string() : std::string(trim(c->text));
}

Result<Node> parse(std::string_view document) {
  if (document.size() > static_cast<std::size_t>(INT_MAX)) return Error{"XML document too large"};
  const int flags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  DocPtr doc(xmlReadMemory(document.data(), static_cast<int>(document.size()), "response.xml",
                           nullptr, flags));
  if (!doc) {
    const xmlError* error = xmlGetLastError();
    std::string detail = error != nullptr && error->message != nullptr ? error->message : "";
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    return Error{"malformed XML" + (detail.empty() ? std::string() : ": " + detail)};
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return Error{"XML document without a root element"};
  return convert(root);
}

std::string escape(std::string_view text) { return escape_markup(text, "&apos;"); }

}  // namespace plancal::caldav::xml
