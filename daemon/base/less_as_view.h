#pragma once
/// LessAsView: orders a map keyed by tuples that own their strings so that it can also be
/// searched with tuples of views, without making an owning key for each look-up. Caches looked
/// up thousands of times per rebuild (a feed's event texts, a page's meeting views) use it.

#include <tuple>

namespace plancal {

/// Compares any two tuples by converting both to `View` (a tuple of the same arity whose
/// elements each side converts to, e.g. std::string_view for std::string).
template <class View>
struct LessAsView {
  using is_transparent = void;

  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return as_view(a) < as_view(b);
  }

 private:
  template <class Tuple>
  static View as_view(const Tuple& key) {
    return std::apply([](const auto&... parts) { return View(parts...); }, key);
  }
};

}  // namespace plancal
