// Word suggestions above the keys: after the first letters of a word, the
// common Vietnamese names and address words that start with them, with
// their tones and hats, ready to tap. Matching ignores tones and case
// ("ng" offers "Nguyễn"), so a citizen who does not know how to put a tone
// still gets the right word.
import { fold } from './unitsearch';

// Family, middle and given names, most common first.
const NAMES = `Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Đinh Trịnh Trương Lương Mai
Thị Văn Hữu Đức Minh Thanh Ngọc Quốc Xuân Thu Hồng Kim Bảo Gia Đình Công Quang Mạnh Trọng Tiến Thành Thùy Thúy
Anh Hùng Dũng Lan Hoa Hương Linh Hà Hải Hạnh Huệ Hiền Hằng Hoà Hưng Hiếu Huy Khánh Khoa Long Lộc Nam Ngân Nga
Nhung Phong Phúc Phương Quân Quyên Sơn Tâm Thảo Thắng Thuỷ Trang Trung Tú Tùng Tuấn Việt Vinh Yến Bình Chi Cường
Duy Giang Hậu Hiển Khải Khôi Lâm Liên Loan Ly My Nhàn Oanh Quỳnh Tuyết Vân Vy Châu Đạt Hạ Hoài Huyền Khang Lực
Nhân Nhật Phát Quý Sang Tài Thái Thịnh Thông Toàn Trí Tường Uyên Vũ Cao Tạ Chu Kiều Quách Triệu Lại Đàm Nông Lưu
Phùng Tô Lò Hà Vương Lâm Tăng Khúc La Nghiêm Thân Mạc Ông Diệp Giáp Hầu Lã Đồng Bế Hứa Âu`;

// Address words and common street and place names.
const ADDRESS = `số phố đường ngõ ngách hẻm tổ thôn xóm khu tập thể tầng nhà phòng chung cư dân phường xã quận huyện thành
Hà Nội Hàng Bông Bè Đào Gai Trống Bài Huế Đúc Giảng Võ Kim Mã Liễu Giai Đội Cấn Điện Biên Phủ Ba Đình Hoàn Kiếm Láng
Thượng Cầu Giấy Tây Hồ Đống Đa Thái Bạch Mai Minh Khai Trần Hưng Đạo Lê Duẩn Lý Thường Kiệt Nguyễn Trãi Chí Thanh
Văn Cừ Phạm Ngũ Lão Quán Thánh Phúc Xá Ngọc Khánh Vĩnh Tuy Long Biên Gia Lâm Đông Anh Sóc Sơn Thanh Xuân Trì Hoàng
Mai Hai Trưng Tôn Đức Thắng Chùa Bộc Xã Đàn Nguyên Hồng Quang Trung Hoà Bình Định Công Mỹ Đức Ứng Hòa Phú Xuyên
Thường Tín Chương Mỹ Quốc Oai Thạch Thất Phúc Thọ Đan Phượng Hoài Đức Mê Linh Sơn Tây Vì Lĩnh Nam Yên Sở Kim Liên`;

function words(s: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of s.split(/\s+/)) {
    const n = w.normalize('NFC');
    if (n && !seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}
const LISTS = { name: words(NAMES), text: words(ADDRESS + ' ' + NAMES) };
const FOLDED = { name: LISTS.name.map(fold), text: LISTS.text.map(fold) };

/** The word being typed at the end of text ('' after a space). */
export function lastWordOf(text: string): string {
  const m = /[\p{L}]+$/u.exec(text.normalize('NFC'));
  return m ? m[0] : '';
}

/**
 * Up to n words that start like the word being typed at the end of text,
 * leaving out the word exactly as typed. Name fields capitalise the word;
 * other fields keep the list's case, capitalised at the start of the text.
 */
export function suggest(text: string, mode: 'name' | 'text', n = 4): string[] {
  const w = lastWordOf(text);
  if (!w) return next(text, mode).slice(0, n);
  const f = fold(w);
  const out: string[] = [];
  const list = LISTS[mode];
  const folded = FOLDED[mode];
  const atStart = text.normalize('NFC').length === w.length;
  for (let i = 0; i < list.length && out.length < n; i++) {
    if (!folded[i].startsWith(f)) continue;
    let s = list[i];
    if (mode === 'name' || atStart) s = s[0].toUpperCase() + s.slice(1);
    if (s === w || out.includes(s)) continue;
    out.push(s);
  }
  return out;
}

// Before a word is begun: the likely next word. After a family name, the
// common middle names; at the start of an address, how addresses begin;
// after a house number, the kind of street.
const MIDDLE = ['Thị', 'Văn', 'Minh', 'Thanh'];
const ADDRESS_START = ['Số', 'Ngõ', 'Thôn', 'Tổ'];
const AFTER_NUMBER = ['phố', 'ngõ', 'đường', 'ngách'];
function next(text: string, mode: 'name' | 'text'): string[] {
  const t = text.normalize('NFC');
  const parts = t.trim().split(/\s+/).filter(Boolean);
  if (mode === 'name') return parts.length === 1 && t.endsWith(' ') ? MIDDLE : [];
  if (t === '') return ADDRESS_START;
  if (t.endsWith(' ') && /^\d+[a-zA-Z]?$/.test(parts[parts.length - 1] ?? '')) return AFTER_NUMBER;
  return [];
}

/** text with the word being typed replaced by word, and a space after it. */
export function applySuggestion(text: string, word: string): string {
  const w = lastWordOf(text);
  return text.normalize('NFC').slice(0, text.normalize('NFC').length - w.length) + word + ' ';
}
