#include "vuln/version/maven.h"

#include <array>
#include <memory>
#include <vector>

namespace distill::vuln::version::maven {
namespace {

struct Item {
  enum Kind { kNumber, kString, kList } kind;
  std::string text;         // number: digits without leading zeros; string: the qualifier
  std::vector<Item> items;  // kList

  bool IsNull() const {
    if (kind == kNumber) return text.empty();
    if (kind == kString) return text.empty();  // aliases already mapped "ga"/"final" to ""
    return items.empty();
  }
};

constexpr std::array<std::string_view, 7> kQualifiers = {"alpha",    "beta", "milestone", "rc",
                                                         "snapshot", "",     "sp"};
constexpr std::string_view kReleaseIndex = "5";  // the position of "" above

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
int Sign(int x) { return (x > 0) - (x < 0); }

std::string ComparableQualifier(std::string_view qualifier) {
  for (size_t i = 0; i < kQualifiers.size(); ++i) {
    if (kQualifiers[i] == qualifier) return std::to_string(i);
  }
  return std::to_string(kQualifiers.size()) + "-" + std::string(qualifier);
}

Item Number(std::string_view digits) {
  while (!digits.empty() && digits[0] == '0') digits.remove_prefix(1);
  return {Item::kNumber, std::string(digits), {}};
}

Item String(std::string_view text, bool followed_by_digit) {
  std::string v(text);
  if (followed_by_digit && v.size() == 1) {
    if (v == "a")
      v = "alpha";
    else if (v == "b")
      v = "beta";
    else if (v == "m")
      v = "milestone";
  }
  if (v == "ga" || v == "final" || v == "release")
    v = "";
  else if (v == "cr")
    v = "rc";
  return {Item::kString, v, {}};
}

Item ParseItem(bool is_digit, std::string_view buf) {
  return is_digit ? Number(buf) : String(buf, false);
}

void Normalize(std::vector<Item>& list) {
  for (int i = static_cast<int>(list.size()) - 1; i >= 0; --i) {
    if (list[i].IsNull()) {
      list.erase(list.begin() + i);
    } else if (list[i].kind != Item::kList) {
      break;
    }
  }
}

int CompareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return Sign(a.compare(b));
}

int CompareItem(const Item* a, const Item* b);

// `a` against an absent item (the other list ran out).
int CompareToNull(const Item& item) {
  switch (item.kind) {
    case Item::kNumber:
      return item.text.empty() ? 0 : 1;
    case Item::kString:
      return Sign(ComparableQualifier(item.text).compare(kReleaseIndex));
    case Item::kList:
      for (const Item& i : item.items) {
        if (int r = CompareToNull(i)) return r;
      }
      return 0;
  }
  return 0;
}

int CompareItem(const Item* a, const Item* b) {
  if (b == nullptr) return CompareToNull(*a);
  switch (a->kind) {
    case Item::kNumber:
      return b->kind == Item::kNumber ? CompareNumbers(a->text, b->text) : 1;
    case Item::kString:
      if (b->kind != Item::kString) return -1;
      return Sign(ComparableQualifier(a->text).compare(ComparableQualifier(b->text)));
    case Item::kList: {
      if (b->kind == Item::kNumber) return -1;
      if (b->kind == Item::kString) return 1;
      size_t n = std::max(a->items.size(), b->items.size());
      for (size_t i = 0; i < n; ++i) {
        const Item* l = i < a->items.size() ? &a->items[i] : nullptr;
        const Item* r = i < b->items.size() ? &b->items[i] : nullptr;
        int result = l == nullptr ? (r == nullptr ? 0 : -CompareItem(r, l)) : CompareItem(l, r);
        if (result) return result;
      }
      return 0;
    }
  }
  return 0;
}

// Builds the item tree. Each '-' or digit/letter transition opens a sub-list appended to the
// current list; the path of open lists is kept as indexes so the vectors may reallocate.
Item Parse(std::string_view version) {
  std::string v(version.size(), '\0');
  for (size_t i = 0; i < version.size(); ++i) v[i] = Lower(version[i]);
  Item root{Item::kList, "", {}};
  std::vector<Item*> stack{&root};
  auto open_sublist = [&] {
    Item* cur = stack.back();
    cur->items.push_back({Item::kList, "", {}});
    stack.push_back(&cur->items.back());
  };
  bool is_digit = false;
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    Item* list = stack.back();
    if (c == '.' || c == '-') {
      list->items.push_back(
          i == start ? Number("")
                     : ParseItem(is_digit, std::string_view(v).substr(start, i - start)));
      start = i + 1;
      if (c == '-') open_sublist();
    } else if (IsDigit(c)) {
      if (!is_digit && i > start) {
        // A qualifier that does not start its list gets a sub-list of its own (Maven 3.8).
        if (!list->items.empty()) open_sublist();
        stack.back()->items.push_back(String(std::string_view(v).substr(start, i - start), true));
        start = i;
        open_sublist();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        list->items.push_back(ParseItem(true, std::string_view(v).substr(start, i - start)));
        start = i;
        open_sublist();
      }
      is_digit = false;
    }
  }
  if (v.size() > start) {
    if (!is_digit && !stack.back()->items.empty()) open_sublist();
    stack.back()->items.push_back(ParseItem(is_digit, std::string_view(v).substr(start)));
  }
  // Normalize innermost first, as Maven pops its stack.
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) Normalize((*it)->items);
  return root;
}

std::string ToString(const Item& item) {
  if (item.kind != Item::kList)
    return item.kind == Item::kNumber && item.text.empty() ? "0" : item.text;
  std::string out;
  for (const Item& i : item.items) {
    if (!out.empty()) out += i.kind == Item::kList ? '-' : '.';
    out += ToString(i);
  }
  return out;
}

}  // namespace

Status Validate(std::string_view version) {
  if (version.empty()) return Errorf("invalid Maven version \"\": empty");
  return {};
}

int CompareUnchecked(std::string_view a, std::string_view b) {
  Item ia = Parse(a), ib = Parse(b);
  return CompareItem(&ia, &ib);
}

Result<int> Compare(std::string_view a, std::string_view b) {
  DISTILL_TRY_VOID(Validate(a));
  DISTILL_TRY_VOID(Validate(b));
  return CompareUnchecked(a, b);
}

std::string Canonical(std::string_view version) { return ToString(Parse(version)); }

}  // namespace distill::vuln::version::maven
