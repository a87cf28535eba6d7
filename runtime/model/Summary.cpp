//===- Summary.cpp - Model::summary in the SDK's format -------------------===//

#include "runtime/model/Model.h"

#include "compiler/fbz/LayerSchema.h"

#include <algorithm>
#include <sstream>

namespace akida {

namespace {

/// The short type names the SDK prints.
std::string shortTypeName(LayerType type) {
  switch (type) {
  case LayerType::InputConvolutional:
    return "InputConv.";
  case LayerType::Convolutional:
    return "Conv.";
  case LayerType::SeparableConvolutional:
    return "Sep.Conv.";
  case LayerType::FullyConnected:
    return "Fully.";
  default:
    return layerTypeName(type);
  }
}

std::vector<int64_t> toVector(const std::array<int64_t, 3> &d) {
  return {d.begin(), d.end()};
}

std::string pad(const std::string &s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

/// Prints rows of cells with columns sized to their content.
std::string table(const std::vector<std::string> &header,
                  const std::vector<std::vector<std::vector<std::string>>> &groups,
                  const std::string &banner) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c)
    width[c] = header[c].size();
  for (const auto &group : groups)
    for (const auto &row : group)
      for (size_t c = 0; c < row.size(); ++c)
        width[c] = std::max(width[c], row[c].size());
  size_t total = 0;
  for (size_t w : width)
    total += w + 2;
  total = std::max(total, banner.size() + 4);
  auto line = [&](const std::vector<std::string> &row) {
    std::string s;
    for (size_t c = 0; c < row.size(); ++c)
      s += pad(row[c], width[c] + 2);
    while (!s.empty() && s.back() == ' ')
      s.pop_back();
    return s + "\n";
  };
  std::string out = std::string(total, '_') + "\n" + line(header);
  if (banner.empty()) {
    out += std::string(total, '=') + "\n";
  } else {
    size_t left = (total - banner.size() - 2) / 2;
    out += std::string(left, '=') + " " + banner + " " +
           std::string(total - banner.size() - 2 - left, '=') + "\n";
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const auto &row : groups[g])
      out += line(row);
    out += std::string(total, '_') + "\n";
  }
  return out;
}

} // namespace

std::string Model::summary() const {
  std::ostringstream os;
  if (desc_.layers.empty())
    return "Empty model.\n";
  std::vector<Sequence> seqs = sequences();
  std::vector<std::string> head = {"Input shape", "Output shape", "Sequences",
                                   "Layers"};
  std::vector<std::string> values = {
      formatDims(toVector(input_shape())), formatDims(toVector(output_shape())),
      std::to_string(seqs.size()), std::to_string(desc_.layers.size())};
  if (mapping_) {
    head.push_back("NPs");
    values.push_back(std::to_string(mapping_->npCount()));
  }
  std::string header = table(head, {{values}}, "");
  size_t width = header.find('\n');
  std::string title = "Model Summary";
  os << std::string((width - title.size()) / 2, ' ') << title << "\n"
     << header;

  std::vector<std::string> columns = {"Layer (type)", "Output shape",
                                      "Kernel shape"};
  if (mapping_)
    columns.push_back("NPs");
  for (const Sequence &seq : seqs) {
    std::vector<std::vector<std::vector<std::string>>> groups;
    for (int i : seq.layers) {
      const LayerDesc &layer = desc_.layers[i];
      std::vector<std::vector<std::string>> rows;
      std::string label = layer.name + " (" + shortTypeName(layer.type) + ")";
      auto weights = layer.variables.find("weights");
      std::string kernel = weights == layer.variables.end()
                               ? ""
                               : formatShape(weights->second.array.shape);
      std::vector<std::string> row = {
          label, formatDims(toVector(outputTypes_[i].shape)), kernel};
      if (mapping_) {
        std::string nps;
        if (seq.hardware) {
          auto it = mapping_->nps.find(i);
          bool onHrc = layer.type == LayerType::InputConvolutional ||
                       layer.type == LayerType::InputConv2D;
          nps = onHrc ? "N/A"
                      : it == mapping_->nps.end() || it->second.empty()
                            ? ""
                            : std::to_string(it->second.size());
        }
        row.push_back(nps);
      }
      rows.push_back(row);
      auto pw = layer.variables.find("weights_pw");
      if (pw != layer.variables.end())
        rows.push_back({"", "", formatShape(pw->second.array.shape)});
      groups.push_back(rows);
    }
    std::string banner = seq.name + (seq.hardware ? " (Hardware)" : " (Software)");
    if (seq.hardware)
      banner += " - size: " + std::to_string(seq.program.size()) + " bytes";
    os << "\n" << table(columns, groups, banner);
  }
  return os.str();
}

} // namespace akida
