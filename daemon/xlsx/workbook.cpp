#include "xlsx/workbook.h"

#include <xlsxwriter.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

namespace plancal::xlsx {

namespace {

/// Owns a workbook until it is closed (which writes the file) or dropped.
struct WorkbookCloser {
  void operator()(lxw_workbook* workbook) const { workbook_close(workbook); }
};
using WorkbookHandle = std::unique_ptr<lxw_workbook, WorkbookCloser>;

void write_cell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, const Cell& cell,
                lxw_format* date_format) {
  switch (cell.kind) {
    case Cell::Kind::Text:
      worksheet_write_string(sheet, row, column, cell.text.c_str(), nullptr);
      return;
    case Cell::Kind::Number:
      worksheet_write_number(sheet, row, column, cell.number, nullptr);
      return;
    case Cell::Kind::Date: {
      lxw_datetime when{cell.date.year,
                        static_cast<std::uint8_t>(cell.date.month),
                        static_cast<std::uint8_t>(cell.date.day),
                        0,
                        0,
                        0};
      worksheet_write_datetime(sheet, row, column, &when, date_format);
      return;
    }
  }
}

void write_sheet(lxw_workbook* workbook, const Sheet& content, lxw_format* bold,
                 lxw_format* date_format) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, content.name.substr(0, 31).c_str());
  for (std::size_t c = 0; c < content.header.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), content.header[c].c_str(), bold);
  }
  for (std::size_t r = 0; r < content.rows.size(); ++r) {
    const auto& row = content.rows[r];
    for (std::size_t c = 0; c < row.size(); ++c) {
      write_cell(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), row[c],
                 date_format);
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
}

}  // namespace

Status write_workbook(const std::string& path, const std::vector<Sheet>& sheets) {
  const std::string temporary = path + ".tmp";
  lxw_workbook* workbook = workbook_new(temporary.c_str());
  if (workbook == nullptr) {
    return Error{"cannot write " + path + ": check that the folder exists and is writable"};
  }
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* date_format = workbook_add_format(workbook);
  format_set_num_format(date_format, "yyyy-mm-dd");
  for (const auto& sheet : sheets) write_sheet(workbook, sheet, bold, date_format);
  if (const lxw_error closed = workbook_close(workbook); closed != LXW_NO_ERROR) {
    std::remove(temporary.c_str());
    return Error{"cannot write " + path + ": " + lxw_strerror(closed)};
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Error{"cannot write " + path + ": the finished file could not be moved into place"};
  }
  return Ok{};
}

Result<std::string> workbook_bytes(const std::vector<Sheet>& sheets) {
  std::error_code error;
  const auto folder = std::filesystem::temp_directory_path(error);
  if (error) return Error{"no folder for temporary files: " + error.message()};
  std::string path = (folder / "plancal-report-XXXXXX.xlsx").string();
  const int fd = mkstemps(path.data(), 5);  // 0600: the report holds personal data
  if (fd < 0) return Error{"cannot make a temporary file in " + folder.string()};
  close(fd);
  const auto written = write_workbook(path, sheets);
  std::string bytes;
  if (written) {
    std::ifstream file(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  std::remove(path.c_str());
  if (!written) return written.error();
  return bytes;
}

}  // namespace plancal::xlsx
