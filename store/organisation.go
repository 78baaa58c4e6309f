package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	accord "github.com/nhs-accord/accord"
)

const orgColumns = `code, ons_code, name, type, parent_code, valid_from, valid_to`

// orgTypeOrder sorts organisations in hierarchy order (England, regions,
// ICBs, …) rather than alphabetically by type.
var orgTypeOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE type")
	for i, t := range accord.OrgTypes {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", t, i)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(accord.OrgTypes))
	return b.String()
}()

// UpsertOrganisations writes all of orgs or none. Each parent must be
// stored already or come earlier in orgs. Writing the same organisations
// again changes nothing.
func (db *DB) UpsertOrganisations(ctx context.Context, orgs []accord.Organisation) error {
	for _, o := range orgs {
		if err := o.Validate(); err != nil {
			return err
		}
	}
	t, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()

	upsert, err := t.prepare(ctx, `INSERT INTO organisations (`+orgColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET ons_code = excluded.ons_code, name = excluded.name, type = excluded.type,
			parent_code = excluded.parent_code, valid_from = excluded.valid_from, valid_to = excluded.valid_to`)
	if err != nil {
		return fmt.Errorf("upsert organisations: %w", err)
	}
	defer upsert.Close()
	clearSpells, err := t.prepare(ctx, `DELETE FROM organisation_ons_codes WHERE org_code = ?`)
	if err != nil {
		return fmt.Errorf("upsert organisations: %w", err)
	}
	defer clearSpells.Close()
	addSpell, err := t.prepare(ctx, `INSERT INTO organisation_ons_codes (org_code, seq, ons_code, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("upsert organisations: %w", err)
	}
	defer addSpell.Close()

	known := make(map[string]bool)
	for _, o := range orgs {
		if p := o.ParentCode; p != "" && !known[p] {
			ok, err := t.exists(ctx, `SELECT 1 FROM organisations WHERE code = ?`, p)
			if err != nil {
				return fmt.Errorf("upsert organisation %s: %w", o.Code, err)
			}
			if !ok {
				return &accord.Error{Code: accord.EINVALID, Message: "organisation " + o.Code, Fields: []accord.FieldError{{
					Field:   "parent_code",
					Message: fmt.Sprintf("%q is not known: add the parent first, or earlier in the same batch", p),
				}}}
			}
			known[p] = true
		}
		if _, err := upsert.ExecContext(ctx, o.Code, nullString(o.ONSCode), o.Name, string(o.Type),
			nullString(o.ParentCode), dateArg(o.ValidFrom), dateArg(o.ValidTo)); err != nil {
			return fmt.Errorf("upsert organisation %s: %w", o.Code, err)
		}
		if _, err := clearSpells.ExecContext(ctx, o.Code); err != nil {
			return fmt.Errorf("upsert organisation %s: %w", o.Code, err)
		}
		for i, s := range o.ONSCodes {
			if _, err := addSpell.ExecContext(ctx, o.Code, i+1, s.ONSCode, dateArg(s.ValidFrom), dateArg(s.ValidTo)); err != nil {
				return fmt.Errorf("upsert organisation %s: ONS code %s: %w", o.Code, s.ONSCode, err)
			}
		}
		known[o.Code] = true
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("upsert organisations: commit: %w", err)
	}
	return nil
}

// FindOrganisations returns the organisations f selects in hierarchy order
// then by name, and how many there are in all, ignoring Offset and Limit.
func (db *DB) FindOrganisations(ctx context.Context, f accord.OrganisationFilter) ([]accord.Organisation, int, error) {
	if err := checkPage(f.Offset, f.Limit); err != nil {
		return nil, 0, err
	}
	var w where
	if f.Type != "" {
		w.add("type = ?", string(f.Type))
	}
	if f.ParentCode != "" {
		w.add("parent_code = ?", f.ParentCode)
	}
	if len(f.Codes) > 0 {
		w.in("code", f.Codes)
	}
	if strings.TrimSpace(f.Query) != "" {
		p := likePattern(f.Query)
		w.add(`(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(code) LIKE ? ESCAPE '\')`, p, p)
	}

	t, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer t.Rollback()
	var total int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM organisations`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count organisations: %w", err)
	}
	limit, largs := db.page(f.Offset, f.Limit)
	rows, err := t.query(ctx, `SELECT `+orgColumns+` FROM organisations`+w.String()+
		` ORDER BY `+orgTypeOrder+`, name, code`+limit, append(w.args, largs...)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find organisations: %w", err)
	}
	orgs, err := scanOrganisations(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("find organisations: %w", err)
	}
	if err := t.loadSpells(ctx, orgs); err != nil {
		return nil, 0, err
	}
	return orgs, total, nil
}

// FindOrganisation finds an organisation by its code, or by any ONS code it
// has held (current or historical). Its own code wins over another's ONS
// code, and a current ONS code over a past one.
func (db *DB) FindOrganisation(ctx context.Context, code string) (accord.Organisation, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if c == "" {
		return accord.Organisation{}, accord.Errorf(accord.ENOTFOUND, "organisation %q not found", code)
	}
	t, err := db.beginRead(ctx)
	if err != nil {
		return accord.Organisation{}, err
	}
	defer t.Rollback()
	rows, err := t.query(ctx, `SELECT `+orgColumns+` FROM organisations
		WHERE code = ? OR ons_code = ? OR code IN (SELECT org_code FROM organisation_ons_codes WHERE ons_code = ?)
		ORDER BY CASE WHEN code = ? THEN 0 WHEN ons_code = ? THEN 1 ELSE 2 END, code
		LIMIT 1`, c, c, c, c, c)
	if err != nil {
		return accord.Organisation{}, fmt.Errorf("find organisation %s: %w", c, err)
	}
	orgs, err := scanOrganisations(rows)
	if err != nil {
		return accord.Organisation{}, fmt.Errorf("find organisation %s: %w", c, err)
	}
	if len(orgs) == 0 {
		return accord.Organisation{}, accord.Errorf(accord.ENOTFOUND, "organisation %q not found", code)
	}
	if err := t.loadSpells(ctx, orgs); err != nil {
		return accord.Organisation{}, err
	}
	return orgs[0], nil
}

func scanOrganisations(rows *sql.Rows) ([]accord.Organisation, error) {
	defer rows.Close()
	var orgs []accord.Organisation
	for rows.Next() {
		var o accord.Organisation
		var ons, parent sql.NullString
		var typ string
		if err := rows.Scan(&o.Code, &ons, &o.Name, &typ, &parent, &o.ValidFrom, &o.ValidTo); err != nil {
			return nil, err
		}
		o.ONSCode, o.Type, o.ParentCode = ons.String, accord.OrgType(typ), parent.String
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}

// loadSpells fills in the ONS code history of orgs.
func (t *tx) loadSpells(ctx context.Context, orgs []accord.Organisation) error {
	if len(orgs) == 0 {
		return nil
	}
	at := make(map[string]int, len(orgs))
	codes := make([]string, len(orgs))
	for i, o := range orgs {
		at[o.Code] = i
		codes[i] = o.Code
	}
	for _, chunk := range chunks(codes) {
		rows, err := t.query(ctx, `SELECT org_code, ons_code, valid_from, valid_to FROM organisation_ons_codes
			WHERE org_code IN (`+placeholders(len(chunk))+`) ORDER BY org_code, seq`, anyArgs(chunk)...)
		if err != nil {
			return fmt.Errorf("load ONS codes: %w", err)
		}
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				var code string
				var s accord.CodeSpell
				if err := rows.Scan(&code, &s.ONSCode, &s.ValidFrom, &s.ValidTo); err != nil {
					return err
				}
				i := at[code]
				orgs[i].ONSCodes = append(orgs[i].ONSCodes, s)
			}
			return rows.Err()
		}()
		if err != nil {
			return fmt.Errorf("load ONS codes: %w", err)
		}
	}
	return nil
}

// orgsKnown returns which of codes are stored organisations.
func (t *tx) orgsKnown(ctx context.Context, codes []string) (map[string]bool, error) {
	known := make(map[string]bool, len(codes))
	for _, chunk := range chunks(codes) {
		rows, err := t.query(ctx, `SELECT code FROM organisations WHERE code IN (`+placeholders(len(chunk))+`)`, anyArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, err
			}
			known[c] = true
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return known, nil
}
