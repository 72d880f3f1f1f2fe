#include "cli/describe.h"

namespace distill::cli {

namespace {

OptionDoc DescribeOption(const CLI::Option& opt) {
  OptionDoc d;
  d.shorts = opt.get_snames();
  d.longs = opt.get_lnames();
  if (opt.get_type_size_max() > 0)
    d.value = opt.get_option_text().empty() ? opt.get_type_name() : opt.get_option_text();
  d.description = opt.get_description();
  return d;
}

}  // namespace

CommandDoc Describe(const CLI::App& app) {
  CommandDoc doc;
  doc.name = app.get_name();
  doc.summary = app.get_description();
  const CLI::Option* help = app.get_help_ptr();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt == help) continue;
    if (opt->nonpositional())
      doc.options.push_back(DescribeOption(*opt));
    else
      doc.positionals.push_back(opt->get_name());
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    doc.subcommands.push_back(Describe(*sub));
  return doc;
}

}  // namespace distill::cli
